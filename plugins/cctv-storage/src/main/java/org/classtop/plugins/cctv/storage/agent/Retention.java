package org.classtop.plugins.cctv.storage.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a cleanup keeps: recordings younger than {@code maxAgeDays}, at most {@code maxTotalBytes} of them, and at
 * least {@code minFreeBytes} free on the disk. 0 switches a rule off.
 */
record Retention(long maxAgeDays, long maxTotalBytes, long minFreeBytes) {
    static final long MAX_AGE_DAYS = 36_500;

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("max_age_days", maxAgeDays);
        json.put("max_total_bytes", maxTotalBytes);
        json.put("min_free_bytes", minFreeBytes);
        return json;
    }
}
