package org.classtop.testplugins;

/** Stands for a core class (AgentHub, the database): bound in the platform injector, not part of plugin-api. */
public class PlatformSecret {
    public PlatformSecret() {
    }
}
