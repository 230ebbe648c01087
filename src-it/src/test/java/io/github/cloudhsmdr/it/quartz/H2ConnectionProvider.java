package io.github.cloudhsmdr.it.quartz;

import org.h2.jdbcx.JdbcConnectionPool;
import org.quartz.utils.ConnectionProvider;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A Quartz {@link ConnectionProvider} backed by H2's own connection pool, so the clustered job store needs
 * no pool library (Quartz's built-in providers need c3p0 or HikariCP). Quartz sets the bean properties
 * from {@code org.quartz.dataSource.<name>.url|user|password|maxConnections}.
 */
public final class H2ConnectionProvider implements ConnectionProvider {
    private String url;
    private String user = "sa";
    private String password = "";
    private int maxConnections = 5;
    private JdbcConnectionPool pool;

    /** Created by Quartz. */
    public H2ConnectionProvider() {
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    @Override
    public void initialize() throws SQLException {
        if (url == null) {
            throw new SQLException("H2ConnectionProvider needs a url property");
        }
        pool = JdbcConnectionPool.create(url, user, password);
        pool.setMaxConnections(maxConnections);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void shutdown() {
        if (pool != null) {
            pool.dispose();
        }
    }
}
