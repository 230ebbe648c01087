package io.github.cloudhsmdr.cli;

import io.github.cloudhsmdr.ReplicatorBuilder;
import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.settings.ReplicatorSettings;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * The options that pick a replicator: which regions and clusters, which backups, and how many calls it makes at
 * once. A picocli mixin; the values go into a {@link ReplicatorSettings.Builder}, which checks them with the same
 * rules and messages as an environment-variable host. Each option also reads the environment variable of its
 * {@link io.github.cloudhsmdr.settings.Setting} (e.g. {@code CLOUDHSM_DR_SOURCE_REGION}) and the {@code --config}
 * file.
 */
final class ReplicatorOptions {
    @Option(names = "--source-region", paramLabel = "REGION", converter = Converters.RegionConverter.class,
            description = "region whose backups are copied (required)")
    String sourceRegion;

    @Option(names = "--destination-regions", paramLabel = "R1,R2", split = ",",
            converter = Converters.RegionConverter.class, description = "regions to copy to (required)")
    List<String> destinationRegions;

    @Option(names = "--clusters", paramLabel = "ID,ID", split = ",",
            description = "clusters to replicate (default: every cluster in the source region)")
    List<String> clusters;

    @Option(names = "--name", paramLabel = "NAME",
            description = "replicator name, the value of the ownership tag on its copies (default: default)")
    String name;

    @Option(names = "--look-back", paramLabel = "DURATION", converter = Converters.SelectionConverter.class,
            description = "copy READY backups created within this window, or 'latest' (default: 14d)")
    Selection lookBack;

    @Option(names = "--latest", description = "copy only the newest READY backup per cluster")
    boolean latest;

    @Option(names = "--max-concurrent-destinations", paramLabel = "N",
            converter = Converters.DestinationsLimitConverter.class,
            description = "destination regions worked on at once, 1 to "
                    + ReplicatorBuilder.MAX_CONCURRENT_DESTINATIONS + " (default: 4)")
    Integer maxConcurrentDestinations;

    @Option(names = "--max-concurrent-calls-per-region", paramLabel = "N",
            converter = Converters.CallsPerRegionLimitConverter.class,
            description = "most calls sent to one region at once, 1 to "
                    + ReplicatorBuilder.MAX_CONCURRENT_CALLS_PER_REGION + " (default: 8): the ceiling of a limit that "
                    + "starts at 2, grows while calls succeed and halves when the region throttles")
    Integer maxConcurrentCallsPerRegion;

    /** @return a settings builder holding these options */
    ReplicatorSettings.Builder settings() {
        return ReplicatorSettings.builder()
                .name(name)
                .sourceRegion(sourceRegion)
                .destinationRegions(destinationRegions)
                .clusterIds(clusters)
                .lookBack(lookBack)
                .latest(latest)
                .maxConcurrentDestinations(maxConcurrentDestinations)
                .maxConcurrentCallsPerRegion(maxConcurrentCallsPerRegion);
    }
}
