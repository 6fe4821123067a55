package org.classtop.pluginloader;

import com.google.inject.AbstractModule;
import com.google.inject.Binding;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.matcher.AbstractMatcher;
import com.google.inject.spi.ProvisionListener;
import java.net.URL;
import java.security.CodeSource;
import java.util.HashSet;
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
        return of(platform, Set.of());
    }

    /** As {@link #of(Injector)}, leaving out {@code pluginOwn}: keys the plugin's injector binds itself. */
    public static Injector of(Injector platform, Set<Key<?>> pluginOwn) {
        Set<URL> platformCode = platformCodeLocations(platform);
        return Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                for (Map.Entry<Key<?>, Binding<?>> entry : platform.getAllBindings().entrySet()) {
                    Class<?> type = entry.getKey().getTypeLiteral().getRawType();
                    if (pluginOwn.contains(entry.getKey())) {
                        continue;
                    }
                    if (isApiKey(entry.getKey())) {
                        bindDelegating(entry.getKey(), platform);
                    } else if (type.getClassLoader() != null && !ParentFirstPluginClassLoader.isShared(type.getName())) {
                        // A platform class: bound here only to refuse it with a sentence, not a Guice riddle.
                        bindRefusal(entry.getKey(), type.getName());
                    }
                }
                bindListener(new AbstractMatcher<Binding<?>>() {
                    @Override
                    public boolean matches(Binding<?> binding) {
                        Key<?> key = binding.getKey();
                        Class<?> type = key.getTypeLiteral().getRawType();
                        return !isApiKey(key) && !pluginOwn.contains(key) && (platform.getAllBindings().containsKey(key)
                                || isPlatformClass(type.getName()) || platformCode.contains(codeLocation(type)));
                    }
                }, new ProvisionListener() {
                    @Override
                    public <T> void onProvision(ProvisionInvocation<T> provision) {
                        throw refusal(provision.getBinding().getKey().getTypeLiteral().getRawType().getName());
                    }
                });
            }

            private <T> void bindDelegating(Key<T> key, Injector source) {
                bind(key).toProvider(source.getProvider(key));
            }

            private <T> void bindRefusal(Key<T> key, String className) {
                bind(key).toProvider(() -> {
                    throw refusal(className);
                });
            }
        });
    }

    /**
     * Where the platform's own classes come from (its jars or class folders), found through the classes it
     * binds explicitly; the shared libraries and plugin-api are left out. Test plugins compiled next to the
     * platform live elsewhere (test classes), so only real platform classes are refused.
     */
    private static Set<URL> platformCodeLocations(Injector platform) {
        Set<URL> locations = new HashSet<>();
        for (Key<?> key : platform.getBindings().keySet()) {
            Class<?> type = key.getTypeLiteral().getRawType();
            if (!ParentFirstPluginClassLoader.isShared(type.getName())) {
                URL location = codeLocation(type);
                if (location != null) {
                    locations.add(location);
                }
            }
        }
        return locations;
    }

    private static URL codeLocation(Class<?> type) {
        CodeSource source = type.getProtectionDomain() == null ? null : type.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }

    private static IllegalStateException refusal(String className) {
        return new IllegalStateException("A plugin injects " + className + ", which is not part of plugin-api.");
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
