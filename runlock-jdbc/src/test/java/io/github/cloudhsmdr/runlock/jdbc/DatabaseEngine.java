package io.github.cloudhsmdr.runlock.jdbc;

import java.time.ZoneOffset;
import java.util.Locale;

/**
 * The databases the JDBC tests (the run lock here, the clustered Quartz tests in src-it) run on, as a matrix:
 * {@code @ParameterizedClass @EnumSource(DatabaseEngine.class)}. H2 is started by the tests themselves; the
 * others are servers the machine runs, found from system properties or environment variables (see
 * {@link TestDatabase}).
 */
public enum DatabaseEngine {
    /** H2 in server mode, started by the test on a free port. */
    H2("H2", null, "sa"),
    /** PostgreSQL; by default {@code jdbc:postgresql://127.0.0.1:5432/test} as {@code root}. */
    POSTGRESQL("PostgreSQL", "jdbc:postgresql://127.0.0.1:5432/test", "root"),
    /** MariaDB (or MySQL); by default {@code jdbc:mariadb://127.0.0.1:3306/test} as {@code root}. */
    MARIADB("MariaDB", "jdbc:mariadb://127.0.0.1:3306/test", "root");

    private final String displayName;
    private final String defaultUrl;
    private final String defaultUser;

    DatabaseEngine(String displayName, String defaultUrl, String defaultUser) {
        this.displayName = displayName;
        this.defaultUrl = defaultUrl;
        this.defaultUser = defaultUser;
    }

    /** @return the lower-case key in the property names: {@code cloudhsmdr.db.<key>.url}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the URL used unless one is configured; null for H2, which the tests start themselves. */
    String defaultUrl() {
        return defaultUrl;
    }

    String defaultUser() {
        return defaultUser;
    }

    /** @return the statement that sets a session's time zone to {@code offset}. */
    public String setSessionTimeZone(ZoneOffset offset) {
        String iso = offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId(); // not "Z"
        return switch (this) {
            case H2 -> "SET TIME ZONE '" + iso + "'";
            // a plain '+05:00' would be read as a POSIX zone, whose sign is the opposite of ISO 8601's
            case POSTGRESQL -> "SET TIME ZONE INTERVAL '" + iso + "' HOUR TO MINUTE";
            case MARIADB -> "SET time_zone = '" + iso + "'";
        };
    }

    @Override
    public String toString() {
        return displayName;
    }
}
