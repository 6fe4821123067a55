package org.classtop.pluginloader;

import com.google.inject.AbstractModule;
import com.google.inject.Binding;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.matcher.AbstractMatcher;
import com.google.inject.spi.ProvisionListener;
import java.util.Map;
import java.util.Set;

/**
 * The parent of every plugin's child injector: a separate injector whose only explicit bindings are the
 * platform's bindings of plugin-api types ({@code org.classtop.api.*}: AgentCommands, Clients, Events,
 * Database, ...), each delegating to the platform injector so a plugin gets the platform's instances.
 * The platform injector itself is never a plugin's parent, so a plugin cannot inject AgentHub or the
 * database. A just-in-time binding of a platform class (one the platform injector binds, or one from
 * Undertow) that an in-process plugin names is refused when provisioned, with a sentence naming the class;
 * a plugin jar cannot even load such a class (see {@link PlatformApiClassLoader}).
 */
public final class ApiInjector {
    /** Packages of the platform that a plugin's injector must never create. */
    private static final Set<String> PLATFORM_PACKAGES = Set.of("org.classtop.pluginloader.", "io.undertow.", "org.xnio.");

    private ApiInjector() {
    }

    public static Injector of(Injector platform) {
        return Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                for (Map.Entry<Key<?>, Binding<?>> entry : platform.getBindings().entrySet()) {
                    if (isApiKey(entry.getKey())) {
                        bindDelegating(entry.getKey(), platform);
                    }
                }
                bindListener(new AbstractMatcher<Binding<?>>() {
                    @Override
                    public boolean matches(Binding<?> binding) {
                        Key<?> key = binding.getKey();
                        return !isApiKey(key) && (platform.getAllBindings().containsKey(key)
                                || isPlatformClass(key.getTypeLiteral().getRawType().getName()));
                    }
                }, new ProvisionListener() {
                    @Override
                    public <T> void onProvision(ProvisionInvocation<T> provision) {
                        throw new IllegalStateException("A plugin injects "
                                + provision.getBinding().getKey().getTypeLiteral().getRawType().getName()
                                + ", which is not part of plugin-api.");
                    }
                });
            }

            private <T> void bindDelegating(Key<T> key, Injector source) {
                bind(key).toProvider(source.getProvider(key));
            }
        });
    }

    static boolean isApiKey(Key<?> key) {
        return key.getTypeLiteral().getRawType().getName().startsWith("org.classtop.api.");
    }

    static boolean isPlatformClass(String className) {
        for (String prefix : PLATFORM_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
