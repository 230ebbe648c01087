package io.github.cloudhsmdr.lambda.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed stand-alone template: up to date, and usable without the CDK. One synthesis for the class. */
class DeployTemplateTest {
    private static final Path COMMITTED = Path.of(System.getProperty("cloudhsmdr.deploy.dir", "../deploy"),
            "template.json");
    private static String synthesized;
    private static JsonNode template;

    @BeforeAll
    static void synthesize() throws IOException {
        synthesized = DeployApp.templateJson();
        template = new ObjectMapper().readTree(synthesized);
    }

    @Test
    void committedTemplateIsUpToDate() throws IOException {
        assertTrue(Files.exists(COMMITTED), COMMITTED + " is missing");
        assertEquals(synthesized, Files.readString(COMMITTED), "deploy/template.json is out of date: regenerate "
                + "it with  JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 mvn -B -q -f lambda-cdk/pom.xml compile "
                + "exec:java -Dexec.args=\"--template ../deploy/template.json\"  and commit it");
    }

    @Test
    void needsNoCdkBootstrapAndNoAssets() {
        assertFalse(synthesized.contains("BootstrapVersion"), "no bootstrap rule");
        assertFalse(synthesized.contains("AssetParameters") || synthesized.contains("cdk-hnb659fds"),
                "no asset bucket");
        assertFalse(synthesized.contains("AWS::CDK::Metadata"), "no CDK metadata");
        assertFalse(synthesized.contains("aws:cdk:path"), "no construct paths");
    }

    @Test
    void deploymentPackageComesFromTheCodeParameters() {
        JsonNode function = template.get("Resources").get("ReplicatorFunctionA0EEF2DF");
        assertEquals("{\"S3Bucket\":{\"Ref\":\"CodeS3Bucket\"},\"S3Key\":{\"Ref\":\"CodeS3Key\"}}",
                function.at("/Properties/Code").toString());
    }

    @Test
    void settingsAreParametersThatReachTheFunctionsVariables() {
        JsonNode parameters = template.get("Parameters");
        assertEquals(List.of("AlarmEmail", "ClusterIds", "CodeS3Bucket", "CodeS3Key", "DestinationRegions",
                "KeepDaily", "KeepLast", "KeepMonthly", "KeepWeekly", "KeepWithin", "KeepYearly", "LookBack",
                "MaxConcurrentCallsPerRegion", "MaxConcurrentDestinations", "ReplicatorName", "WaitForReady"),
                iterable(parameters.fieldNames()));
        assertFalse(parameters.get("DestinationRegions").has("Default"), "required");
        assertFalse(parameters.get("CodeS3Bucket").has("Default"), "required");
        assertEquals("default", parameters.get("ReplicatorName").get("Default").asText());
        JsonNode variables = template.at("/Resources/ReplicatorFunctionA0EEF2DF/Properties/Environment/Variables");
        Map<String, String> expected = Map.of("CLOUDHSM_DR_NAME", "ReplicatorName",
                "CLOUDHSM_DR_DESTINATION_REGIONS", "DestinationRegions", "CLOUDHSM_DR_CLUSTERS", "ClusterIds",
                "CLOUDHSM_DR_LOOK_BACK", "LookBack", "CLOUDHSM_DR_WAIT_FOR_READY", "WaitForReady",
                "CLOUDHSM_DR_MAX_CONCURRENT_DESTINATIONS", "MaxConcurrentDestinations",
                "CLOUDHSM_DR_MAX_CONCURRENT_CALLS_PER_REGION", "MaxConcurrentCallsPerRegion",
                "CLOUDHSM_DR_KEEP_DAILY", "KeepDaily", "CLOUDHSM_DR_KEEP_WITHIN", "KeepWithin");
        expected.forEach((variable, parameter) -> assertEquals("{\"Ref\":\"" + parameter + "\"}",
                variables.get(variable).toString(), variable));
        assertTrue(parameters.get("DestinationRegions").get("AllowedPattern").asText().startsWith("^("));
    }

    @Test
    void concurrencyParametersAllowWhatTheConstructAllowsOrEmptyForTheDefault() {
        assertAllows(template.at("/Parameters/MaxConcurrentDestinations"),
                CloudHsmDrReplicatorProps.MAX_CONCURRENT_DESTINATIONS);
        assertAllows(template.at("/Parameters/MaxConcurrentCallsPerRegion"),
                CloudHsmDrReplicatorProps.MAX_CONCURRENT_CALLS_PER_REGION);
    }

    private static void assertAllows(JsonNode parameter, int max) {
        assertEquals("", parameter.get("Default").asText());
        Pattern allowed = Pattern.compile(parameter.get("AllowedPattern").asText());
        assertTrue(allowed.matcher("").matches(), "empty: the handler's default");
        for (int n = 0; n <= 100; n++) {
            assertEquals(n >= 1 && n <= max, allowed.matcher(Integer.toString(n)).matches(), n + " against " + allowed);
        }
        assertFalse(allowed.matcher("04").matches() || allowed.matcher("-1").matches(), allowed.toString());
    }

    @Test
    void alarmEmailSubscriptionExistsOnlyWhenAnAddressIsGiven() {
        JsonNode subscription = template.at("/Resources/AlarmEmailSubscription");
        assertEquals("HasAlarmEmail", subscription.get("Condition").asText());
        assertEquals("email", subscription.at("/Properties/Protocol").asText());
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
