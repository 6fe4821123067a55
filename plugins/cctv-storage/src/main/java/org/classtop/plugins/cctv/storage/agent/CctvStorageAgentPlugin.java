package org.classtop.plugins.cctv.storage.agent;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import org.classtop.api.agent.AgentPlugin;
import org.pf4j.Extension;

/** The agent side of cctv-storage: storage figures, retention and cleanup of the recordings of cctv-recording. */
@Extension
public final class CctvStorageAgentPlugin extends AgentPlugin {
    @Override
    protected void configure() {
        install(new AbstractModule() {
            @Override
            protected void configure() {
                bind(StorageSettings.class).in(Singleton.class);
            }
        });
        lifecycle(Cleaner.class);
        command("cctv_get_storage_info").description("Recordings storage: bytes per camera, free disk, retention, last cleanup")
                .description("zh-CN", "录像存储：各摄像头占用、磁盘剩余空间、保留策略、上次清理").read()
                .paramsExample("{}").to(GetStorageInfoCommand.class);
        command("cctv_cleanup_storage").description("Reconciles index and disk, then deletes the oldest recordings the retention rules want gone")
                .description("zh-CN", "核对索引与磁盘，然后按保留策略删除最旧的录像")
                .paramsExample("{\"max_age_days\":30,\"max_total_bytes\":0,\"min_free_bytes\":1073741824}")
                .to(CleanupStorageCommand.class);
    }
}
