package org.classtop.api;

/**
 * Finishes {@code export(Service.class)}: names the class that implements the service. The runtime creates
 * one instance of it in the providing plugin; every plugin that lists the provider in
 * {@code Plugin-Dependencies} gets that same instance when it injects the service interface.
 */
public interface ServiceBuilder<T> {
    void to(Class<? extends T> implementation);
}
