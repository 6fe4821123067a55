package org.classtop.core;

import com.google.inject.AbstractModule;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.Clients;
import org.classtop.api.server.Database;
import org.classtop.core.clients.ClientDirectory;
import org.classtop.core.commands.CommandBus;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.hub.CommandAnswers;
import org.classtop.core.storage.ApiTokenRepository;
import org.classtop.core.storage.AuditLogRepository;
import org.classtop.core.storage.ClientRepository;
import org.classtop.core.storage.CommandLogRepository;
import org.classtop.core.storage.ConfigRepository;
import org.classtop.core.storage.ConnectionLogRepository;
import org.classtop.core.storage.EnrollmentTokenRepository;
import org.classtop.core.storage.EventLogRepository;
import org.classtop.core.storage.PlatformDatabase;
import org.classtop.core.storage.SessionRepository;
import org.classtop.core.storage.UserRepository;
import org.classtop.core.tls.ServerTls;

/** Binds the platform's services; the API interfaces plugins inject map to the core's implementations. */
final class CoreModule extends AbstractModule {
    private final ServerConfig config;
    private final PlatformDatabase database;
    private final ServerTls tls;

    CoreModule(ServerConfig config, PlatformDatabase database, ServerTls tls) {
        this.config = config;
        this.database = database;
        this.tls = tls;
    }

    @Override
    protected void configure() {
        bind(ServerConfig.class).toInstance(config);
        bind(PlatformDatabase.class).toInstance(database);
        bind(ServerTls.class).toInstance(tls);
        bind(Database.class).toInstance(database);
        bind(ClientRepository.class).toInstance(new ClientRepository(database));
        bind(CommandLogRepository.class).toInstance(new CommandLogRepository(database));
        bind(ConnectionLogRepository.class).toInstance(new ConnectionLogRepository(database));
        bind(EventLogRepository.class).toInstance(new EventLogRepository(database));
        bind(ConfigRepository.class).toInstance(new ConfigRepository(database));
        bind(UserRepository.class).toInstance(new UserRepository(database));
        bind(SessionRepository.class).toInstance(new SessionRepository(database));
        bind(EnrollmentTokenRepository.class).toInstance(new EnrollmentTokenRepository(database));
        bind(ApiTokenRepository.class).toInstance(new ApiTokenRepository(database));
        bind(AuditLogRepository.class).toInstance(new AuditLogRepository(database));
        bind(AgentCommands.class).to(CommandBus.class);
        bind(CommandAnswers.class).to(CommandBus.class);
        bind(Clients.class).to(ClientDirectory.class);
        // Events is bound per plugin (PluginScopedServices): a plugin's subscriptions end with it.
    }
}
