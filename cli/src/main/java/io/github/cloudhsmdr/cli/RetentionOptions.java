package io.github.cloudhsmdr.cli;

import io.github.cloudhsmdr.settings.ReplicatorSettings;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The retention options, a picocli mixin. Without any of them every copy is kept. */
final class RetentionOptions {
    @Option(names = "--keep-last", paramLabel = "N", converter = Converters.CountConverter.class,
            description = "retention: keep the N newest copies per cluster and region")
    Integer keepLast;

    @Option(names = "--keep-daily", paramLabel = "N", converter = Converters.CountConverter.class,
            description = "retention: keep the newest copy of each of the last N days")
    Integer keepDaily;

    @Option(names = "--keep-weekly", paramLabel = "N", converter = Converters.CountConverter.class,
            description = "retention: keep the newest copy of each of the last N weeks")
    Integer keepWeekly;

    @Option(names = "--keep-monthly", paramLabel = "N", converter = Converters.CountConverter.class,
            description = "retention: keep the newest copy of each of the last N months")
    Integer keepMonthly;

    @Option(names = "--keep-yearly", paramLabel = "N", converter = Converters.CountConverter.class,
            description = "retention: keep the newest copy of each of the last N years")
    Integer keepYearly;

    @Option(names = "--keep-within", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "retention: keep every copy made within this window before the newest copy")
    Duration keepWithin;

    /**
     * @param b the settings
     * @return {@code b} with the retention options given
     */
    ReplicatorSettings.Builder applyTo(ReplicatorSettings.Builder b) {
        return b.keep(ReplicatorSettings.KEEP_LAST, keepLast)
                .keep(ReplicatorSettings.KEEP_DAILY, keepDaily)
                .keep(ReplicatorSettings.KEEP_WEEKLY, keepWeekly)
                .keep(ReplicatorSettings.KEEP_MONTHLY, keepMonthly)
                .keep(ReplicatorSettings.KEEP_YEARLY, keepYearly)
                .keep(ReplicatorSettings.KEEP_WITHIN, keepWithin);
    }
}
