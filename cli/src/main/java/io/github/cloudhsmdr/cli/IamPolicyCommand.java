package io.github.cloudhsmdr.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.cloudhsmdr.aws.iam.IamPolicies;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code iam-policy}: prints the least-privilege, region-scoped IAM policy of {@link IamPolicies} for one
 * replicator's name, account and regions. Calls nothing.
 */
@Command(name = "iam-policy", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the region-scoped IAM identity policy for a replicator (--kind replicator), for "
                + "adopting copies (adopt) or for the DR restore (restore), as JSON ready for "
                + "'aws iam create-policy --policy-document file://policy.json'. Calls nothing.",
        footer = {"%nWithout --json the policy itself is the output: cloudhsm-dr iam-policy ... > policy.json",
                "Exit codes: 0 printed, 64 usage error."})
final class IamPolicyCommand extends BaseCommand {
    /** Which policy. */
    enum Kind {
        /** replication with retention and undo */
        replicator,
        /** tagging unowned copies in the destination regions, for a separate role */
        adopt,
        /** creating a cluster from a backup in the destination regions */
        restore
    }

    /** The generator's field names, and the option each comes from. */
    private static final Map<String, String> OPTIONS = Map.of("name", "--name", "account", "--account",
            "sourceRegion", "--source-region", "destinationRegions", "--destination-regions",
            "regions", "--destination-regions");

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "replicator",
            description = "which policy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Kind kind;

    @Option(names = "--name", paramLabel = "NAME",
            description = "replicator name, the value of the ownership tag on its copies (default: default; not "
                    + "used by restore)")
    String name;

    @Option(names = "--account", paramLabel = "ID", converter = AccountConverter.class,
            description = "the 12-digit AWS account id (required)")
    String account;

    @Option(names = "--source-region", paramLabel = "REGION", converter = Converters.RegionConverter.class,
            description = "region whose backups are copied (required, except for restore)")
    String sourceRegion;

    @Option(names = "--destination-regions", paramLabel = "R1,R2", split = ",",
            converter = Converters.RegionConverter.class,
            description = "regions copied to; for restore the regions a cluster may be restored in (required)")
    List<String> destinationRegions;

    /** A 12-digit account id. */
    static final class AccountConverter implements ITypeConverter<String> {
        private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

        @Override
        public String convert(String value) {
            String v = value.trim();
            if (!ACCOUNT.matcher(v).matches()) {
                throw new TypeConversionException("'" + value + "' is not an AWS account id: use the 12 digits, "
                        + "e.g. 123456789012");
            }
            return v;
        }
    }

    @Override
    int execute() {
        if (account == null) {
            throw usage("--account: is required, e.g. 123456789012");
        }
        if (kind != Kind.restore && sourceRegion == null) {
            throw usage("--source-region: is required for --kind " + kind + ", e.g. us-east-1");
        }
        if (destinationRegions == null || destinationRegions.isEmpty()) {
            throw usage("--destination-regions: is required, e.g. us-west-2,eu-west-1");
        }
        String replicator = name == null ? "default" : name;
        IamPolicy policy;
        try {
            policy = switch (kind) {
                case replicator -> IamPolicies.replicator(replicator, account, sourceRegion, destinationRegions);
                case adopt -> IamPolicies.adopt(replicator, account, sourceRegion, destinationRegions);
                case restore -> IamPolicies.restore(account, destinationRegions);
            };
        } catch (IllegalArgumentException e) {
            throw usage(e, OPTIONS);
        }
        String json = IamPolicies.toJson(policy);
        result("SUCCESS", doc -> {
            doc.put("kind", kind.name());
            doc.set("policy", readTree(json));
        }, json.endsWith("\n") ? json : json + "\n");
        return ExitCodes.OK;
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the policy generator wrote JSON Jackson cannot read: " + e.getMessage(),
                    e);
        }
    }
}
