package org.classtop.api.server;

public enum HttpMethod {
    GET, POST, PUT, PATCH, DELETE
}
