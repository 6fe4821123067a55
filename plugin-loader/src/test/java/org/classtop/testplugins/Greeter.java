package org.classtop.testplugins;

/** A service the provider plugin exports. */
public interface Greeter {
    /** Counts calls: consumers sharing one instance see one count. */
    int greet();
}
