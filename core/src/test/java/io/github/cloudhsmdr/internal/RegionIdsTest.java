package io.github.cloudhsmdr.internal;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The prefix rule core uses when no RegionDirectory is on the classpath (core's own tests have none). */
class RegionIdsTest {

    @Test
    void readsThePartitionOffTheRegionId() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("us-east-1", "aws"), Map.entry("eu-central-2", "aws"), Map.entry("ap-southeast-7", "aws"),
                Map.entry("il-central-1", "aws"), Map.entry("mx-central-1", "aws"),
                Map.entry("us-gov-west-1", "aws-us-gov"), Map.entry("cn-northwest-1", "aws-cn"),
                Map.entry("us-iso-east-1", "aws-iso"), Map.entry("us-isob-east-1", "aws-iso-b"),
                Map.entry("eu-isoe-west-1", "aws-iso-e"), Map.entry("us-isof-south-1", "aws-iso-f"),
                Map.entry("eusc-de-east-1", "aws-eusc"));
        expected.forEach((region, partition) ->
                assertEquals(Optional.of(partition), RegionIds.partitionOf(region), region));
    }

    @Test
    void refusesWhatIsNotARegionId() {
        for (String bad : new String[] {"mars-north-1", "us-east", "US-EAST-1", "us-east-0", "us_east_1", "", " "}) {
            assertEquals(Optional.empty(), RegionIds.partitionOf(bad), bad);
        }
    }
}
