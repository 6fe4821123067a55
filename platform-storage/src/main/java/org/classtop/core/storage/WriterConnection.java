package org.classtop.core.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connection handed to write work, used by the writer thread only. Transaction control belongs to
 * the writer ({@code commit}, {@code rollback}, {@code setAutoCommit} and JDBC savepoints throw;
 * {@code close} is ignored), and {@code prepareStatement(sql)} hands out cached statements: closing
 * one returns it to the cache, so the thousands of identical inserts per second are prepared once.
 */
final class WriterConnection {

    private static final int CACHE_SIZE = 128;

    private final Connection real;
    private final Connection facade;
    private final LinkedHashMap<String, Cached> cache = new LinkedHashMap<>(CACHE_SIZE * 2, 0.75f, true);

    WriterConnection(Connection real) {
        this.real = real;
        this.facade = (Connection) Proxy.newProxyInstance(WriterConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, this::invokeConnection);
    }

    Connection facade() {
        return facade;
    }

    /** Closes every cached statement (the real connection stays open). */
    void closeStatements() {
        for (Cached c : cache.values()) c.closeQuietly();
        cache.clear();
    }

    private Object invokeConnection(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "close":
                return null;
            case "isClosed":
                return real.isClosed();
            case "commit":
            case "rollback":
            case "setAutoCommit":
            case "setSavepoint":
            case "releaseSavepoint":
            case "abort":
                throw new SQLException("Connection." + method.getName() + "() is not allowed in a database write:"
                        + " the platform's writer owns the transaction");
            case "prepareStatement":
                if (args.length == 1) return prepareCached((String) args[0]);
                return invoke(real, method, args);
            case "unwrap":
                if (((Class<?>) args[0]).isInstance(proxy)) return proxy;
                return invoke(real, method, args);
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "ClassTop writer connection";
            default:
                return invoke(real, method, args);
        }
    }

    private PreparedStatement prepareCached(String sql) throws SQLException {
        Cached cached = cache.get(sql);
        if (cached != null && !cached.inUse) {
            cached.inUse = true;
            return cached.proxy;
        }
        PreparedStatement statement = real.prepareStatement(sql);
        if (cached != null) return statement; // the cached one is in use (nested use of the same SQL)
        cached = new Cached(statement);
        cached.inUse = true;
        cache.put(sql, cached);
        if (cache.size() > CACHE_SIZE) {
            Iterator<Map.Entry<String, Cached>> it = cache.entrySet().iterator();
            while (cache.size() > CACHE_SIZE && it.hasNext()) {
                Cached eldest = it.next().getValue();
                if (eldest.inUse) continue;
                eldest.closeQuietly();
                it.remove();
            }
        }
        return cached.proxy;
    }

    /** Methods already made accessible: skips Method.invoke's access check, which otherwise costs a slow path per call. */
    private static final Set<Method> ACCESSIBLE = ConcurrentHashMap.newKeySet();

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        if (!ACCESSIBLE.contains(method)) {
            method.setAccessible(true);
            ACCESSIBLE.add(method);
        }
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A cached statement; its proxy's close() resets it for the next user. */
    private static final class Cached implements InvocationHandler {
        final PreparedStatement statement;
        final PreparedStatement proxy;
        boolean inUse;
        ResultSet openResult;

        Cached(PreparedStatement statement) {
            this.statement = statement;
            this.proxy = (PreparedStatement) Proxy.newProxyInstance(WriterConnection.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, this);
        }

        @Override
        public Object invoke(Object p, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close":
                    release();
                    return null;
                case "isClosed":
                    return !inUse || statement.isClosed();
                case "equals":
                    return p == args[0];
                case "hashCode":
                    return System.identityHashCode(p);
                case "toString":
                    return statement.toString();
                default:
                    if (!inUse) throw new SQLException("This statement is closed");
                    Object result = WriterConnection.invoke(statement, method, args);
                    if (result instanceof ResultSet rs) openResult = rs;
                    return result;
            }
        }

        private void release() throws SQLException {
            if (!inUse) return;
            inUse = false;
            if (openResult != null) {
                ResultSet rs = openResult;
                openResult = null;
                rs.close();
            }
            statement.clearParameters();
        }

        void closeQuietly() {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
