package org.classtop.core.config;

/**
 * What this server is (SPEC {@code --role}): a classroom server ({@code LMS}) or a management server
 * that oversees LMS servers. Not to be confused with {@link org.classtop.api.server.Role}, what a caller may do.
 */
public enum ServerRole { LMS, MANAGEMENT }
