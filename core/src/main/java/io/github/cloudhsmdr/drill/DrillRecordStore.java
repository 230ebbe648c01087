package io.github.cloudhsmdr.drill;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the last passing drill of each source cluster. A drill reads it to check the certificates of a
 * restored cluster when the source region cannot be read, and writes it when it passes. The drill's own cluster
 * and its tags are gone after the teardown, so the record lives outside CloudHSM, where the caller keeps it.
 *
 * <p>Implementations are thread-safe.
 */
public interface DrillRecordStore {

    /**
     * @param sourceClusterId the source cluster
     * @return the record of the last passing drill of that cluster, if any
     */
    Optional<DrillRecord> lastPassing(String sourceClusterId);

    /** Stores {@code record} as the last passing drill of its source cluster, replacing an older one. */
    void recordPassing(DrillRecord record);

    /** @return a store that keeps records in memory, for tests and for hosts that run drills in one process */
    static DrillRecordStore inMemory() {
        Map<String, DrillRecord> records = new ConcurrentHashMap<>();
        return new DrillRecordStore() {
            @Override
            public Optional<DrillRecord> lastPassing(String sourceClusterId) {
                return Optional.ofNullable(records.get(sourceClusterId));
            }

            @Override
            public void recordPassing(DrillRecord record) {
                records.merge(record.sourceClusterId(), record,
                        (old, now) -> now.finishedAt().isBefore(old.finishedAt()) ? old : now);
            }

            @Override
            public String toString() {
                return "DrillRecordStore.inMemory" + records.keySet();
            }
        };
    }

    /**
     * A store in a {@link Properties} file (the JDK's own key=value format, read and written with
     * {@link Properties#load} / {@link Properties#store}), one group of keys per source cluster. A write goes to a
     * temporary file next to it and is then moved over the old file, so a crash never leaves half a file. Use one
     * file per host or a shared file system; concurrent writers in several processes may lose an update.
     *
     * @param file the file; created on the first passing drill
     * @return the store
     */
    static DrillRecordStore propertiesFile(Path file) {
        return new PropertiesFileStore(Objects.requireNonNull(file, "file"));
    }

    /** The properties-file store. */
    final class PropertiesFileStore implements DrillRecordStore {
        private final Path file;

        private PropertiesFileStore(Path file) {
            this.file = file;
        }

        @Override
        public synchronized Optional<DrillRecord> lastPassing(String sourceClusterId) {
            Properties p = load();
            String prefix = sourceClusterId + ".";
            String fingerprint = p.getProperty(prefix + "clusterCertificateFingerprint");
            if (fingerprint == null) {
                return Optional.empty();
            }
            Instant finishedAt;
            try {
                finishedAt = Instant.parse(p.getProperty(prefix + "finishedAt", ""));
            } catch (DateTimeParseException e) {
                throw new IllegalStateException("drill record file " + file + ": " + prefix + "finishedAt '"
                        + p.getProperty(prefix + "finishedAt") + "' is not an ISO-8601 instant", e);
            }
            return Optional.of(new DrillRecord(sourceClusterId, p.getProperty(prefix + "drillId", "?"),
                    p.getProperty(prefix + "region", "?"), finishedAt, p.getProperty(prefix + "backupId"),
                    fingerprint));
        }

        @Override
        public synchronized void recordPassing(DrillRecord record) {
            Properties p = load();
            String prefix = record.sourceClusterId() + ".";
            p.setProperty(prefix + "drillId", record.drillId());
            p.setProperty(prefix + "region", record.region());
            p.setProperty(prefix + "finishedAt", record.finishedAt().toString());
            if (record.backupId() != null) {
                p.setProperty(prefix + "backupId", record.backupId());
            }
            p.setProperty(prefix + "clusterCertificateFingerprint", record.clusterCertificateFingerprint());
            try {
                Path dir = file.toAbsolutePath().getParent();
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    p.store(out, "cloudhsm-dr: last passing restore drill per source cluster");
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the drill record file " + file, e);
            }
        }

        private Properties load() {
            Properties p = new Properties();
            if (!Files.exists(file)) {
                return p;
            }
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the drill record file " + file, e);
            }
            return p;
        }

        @Override
        public String toString() {
            return "DrillRecordStore.propertiesFile(" + file + ")";
        }
    }
}
