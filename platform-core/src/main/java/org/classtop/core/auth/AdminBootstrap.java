package org.classtop.core.auth;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.classtop.core.storage.UserRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the first start (no users yet) creates the user {@code admin} with a random password, prints
 * it once to the console, and keeps only its hash.
 */
@Singleton
public final class AdminBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final GeneratedPassword generated;

    @Inject
    public AdminBootstrap(UserRepository users, PasswordHasher hasher, GeneratedPassword generated) {
        this.users = users;
        this.hasher = hasher;
        this.generated = generated;
    }

    /** @return the generated password, or null when users already exist */
    public String ensureAdmin() {
        if (users.count() > 0) {
            return null;
        }
        String password = Secrets.newPassword(20);
        users.create("admin", hasher.hash(password), "admin").toCompletableFuture().join();
        generated.mark("admin");
        LOG.info("First start: created the user 'admin'");
        System.err.println("""
                ============================================================
                 First start: sign in as 'admin' with the password
                     %s
                 It is shown only this once and stored only as a hash.
                ============================================================""".formatted(password));
        return password;
    }
}
