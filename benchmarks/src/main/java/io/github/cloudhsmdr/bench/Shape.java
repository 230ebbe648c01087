package io.github.cloudhsmdr.bench;

import java.util.List;
import java.util.Locale;

/**
 * The seeded data of a scenario: {@code clusters} clusters in the source region, each with
 * {@code backupsPerCluster} READY backups, replicated to {@code destinations} regions.
 *
 * @param clusters          clusters in the source region
 * @param backupsPerCluster READY backups of each cluster
 * @param destinations      destination regions
 */
record Shape(int clusters, int backupsPerCluster, int destinations) {
    static final String SOURCE = "us-east-1";
    private static final List<String> REGIONS = List.of("us-west-2", "eu-west-1", "ap-southeast-2", "eu-central-1",
            "ap-northeast-1", "ca-central-1", "sa-east-1", "eu-north-1");

    Shape {
        if (clusters < 1 || backupsPerCluster < 1 || destinations < 1 || destinations > REGIONS.size()) {
            throw new IllegalArgumentException("a shape needs at least 1 cluster, 1 backup per cluster and 1 to "
                    + REGIONS.size() + " destination regions, was " + clusters + "x" + backupsPerCluster + "x"
                    + destinations);
        }
    }

    /** Parses {@code CLUSTERSxBACKUPSxREGIONS}, e.g. {@code 4x50x3}. */
    static Shape parse(String text) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("a shape is CLUSTERSxBACKUPSxREGIONS (backups per cluster, destination "
                    + "regions), e.g. 4x50x3, was '" + text + "'");
        }
        try {
            return new Shape(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                    Integer.parseInt(parts[2].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a shape is CLUSTERSxBACKUPSxREGIONS with whole numbers, e.g. 4x50x3, "
                    + "was '" + text + "'", e);
        }
    }

    /** @return the backups in the source region */
    int backups() {
        return clusters * backupsPerCluster;
    }

    /** @return the copies a first run makes */
    int copies() {
        return backups() * destinations;
    }

    List<String> destinationRegions() {
        return REGIONS.subList(0, destinations);
    }

    @Override
    public String toString() {
        return clusters + "×" + backupsPerCluster + "×" + destinations;
    }
}
