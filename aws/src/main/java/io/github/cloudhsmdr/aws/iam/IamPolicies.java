package io.github.cloudhsmdr.aws.iam;

import io.github.cloudhsmdr.BackupReplicator;
import io.github.cloudhsmdr.CopyTags;
import io.github.cloudhsmdr.ReplicatorConfig;
import io.github.cloudhsmdr.aws.AwsRegions;
import software.amazon.awssdk.policybuilder.iam.IamConditionOperator;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPolicyWriter;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The least-privilege IAM identity policies for a replicator's configuration, region-scoped, built with the AWS
 * SDK's IAM policy builder. {@code iam/README.md} explains each statement, what the policies guarantee and what
 * they cannot.
 *
 * <ul>
 *   <li>{@link #replicator(String, String, String, List) replicator}: replication runs with retention and undo.
 *       Copies only from the source region and only as the owner; deletes and undoes deletions only in the
 *       destination regions and only on backups carrying its ownership tag; Deny guards make sure the role can
 *       never delete in the source region, never set a {@code cloudhsm-dr:} tag on an existing backup in a
 *       destination region and never remove one anywhere.</li>
 *   <li>{@link #adopt(String, String, String, List) adopt}: taking ownership of copies made before the
 *       replicator or by hand (tagging unowned backups in the destination regions); for a separate role.</li>
 *   <li>{@link #restore(String, List) restore}: the DR restore (a cluster from a backup) in the given regions.</li>
 * </ul>
 *
 * <p>Print one with {@link #toJson(IamPolicy)}. The {@code *Template()} methods give the same policies with
 * placeholders ({@code <ACCOUNT_ID>}, {@code <REPLICATOR_NAME>}, {@code <SOURCE_REGION>},
 * {@code <DESTINATION_REGION>}, {@code <DR_REGION>}); the files in {@code iam/} are their output.
 *
 * <p>Stateless and thread-safe.
 */
public final class IamPolicies {
    /** Sid of the statement allowing DescribeBackups and DescribeClusters in the configured regions. */
    public static final String LIST = "ListClustersAndBackupsInTheConfiguredRegions";
    /** Sid of the statement allowing CopyBackupToRegion from the source region, as the owner of the copy. */
    public static final String COPY = "CopyFromTheSourceRegionAsOwner";
    /** Sid of the statement allowing the TagResource check a copy with tags implies. */
    public static final String TAG_COPIES = "TagTheCopiesItMakes";
    /** Sid of the statement allowing DeleteBackup and RestoreBackup on owned backups in the destinations. */
    public static final String DELETE = "DeleteAndRestoreOnlyOwnCopiesInDestinations";
    /** Sid of the Deny guard on deletes and restores in the source region. */
    public static final String DENY_SOURCE = "DenyDeleteAndRestoreInTheSourceRegion";
    /** Sid of the Deny guard on {@code cloudhsm-dr:} tags set on backups in the destination regions. */
    public static final String DENY_TAGGING = "DenyOwnershipTagsOnExistingBackupsInDestinations";
    /** Sid of the Deny guard on removing {@code cloudhsm-dr:} tags. */
    public static final String DENY_UNTAGGING = "DenyRemovingOwnershipTags";
    /** Sid of the adopt policy's statement tagging unowned backups in the destination regions. */
    public static final String ADOPT = "TagUnownedBackupsInDestinations";

    /** The placeholder for the 12-digit account id in the templates. */
    public static final String ACCOUNT_PLACEHOLDER = "<ACCOUNT_ID>";
    /** The placeholder for the replicator's name in the templates. */
    public static final String NAME_PLACEHOLDER = "<REPLICATOR_NAME>";
    /** The placeholder for the source region in the templates. */
    public static final String SOURCE_PLACEHOLDER = "<SOURCE_REGION>";
    /** The placeholder for a destination region in the templates (one ARN per destination region). */
    public static final String DESTINATION_PLACEHOLDER = "<DESTINATION_REGION>";
    /** The placeholder for a region a cluster may be restored in, in the restore template. */
    public static final String DR_REGION_PLACEHOLDER = "<DR_REGION>";

    private static final String VERSION = "2012-10-17";
    private static final String PREFIX_PATTERN = CopyTags.PREFIX + "*";
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final IamPolicyWriter PRETTY = IamPolicyWriter.builder().prettyPrint(true).build();
    private static final List<String> EC2_FOR_CREATE_CLUSTER = List.of("ec2:CreateSecurityGroup",
            "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupEgress",
            "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:CreateNetworkInterface",
            "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface");

    private IamPolicies() {
    }

    /**
     * The replicator's policy: discovery and listing, copies from the source region, retention deletes and
     * their undo in the destination regions, and the Deny guards.
     *
     * @param name               the replicator's name, the value of its ownership tag
     * @param account            the 12-digit AWS account id
     * @param sourceRegion       the source region, e.g. {@code us-east-1}
     * @param destinationRegions the destination regions, at least one, none equal to the source
     * @return the policy
     * @throws IllegalArgumentException naming the field when a value is not allowed
     */
    public static IamPolicy replicator(String name, String account, String sourceRegion,
                                       List<String> destinationRegions) {
        return replicator(Scope.of(config(name, sourceRegion, destinationRegions), account), true);
    }

    /**
     * The replicator's policy for a configuration: as {@link #replicator(String, String, String, List)}, without
     * the delete and restore statement when the configuration has no retention policy.
     *
     * @param config  the replicator's configuration (name, source and destination regions)
     * @param account the 12-digit AWS account id
     * @return the policy
     * @throws IllegalArgumentException when the account id is not 12 digits
     */
    public static IamPolicy replicator(ReplicatorConfig config, String account) {
        Objects.requireNonNull(config, "config");
        return replicator(Scope.of(config, account), config.retentionPolicy().isPresent());
    }

    /** @return the replicator's policy with placeholders, as in {@code iam/replicator-policy.json} */
    public static IamPolicy replicatorTemplate() {
        return replicator(Scope.template(), true);
    }

    /**
     * The policy for adopting copies: tag backups that carry no ownership tag in the destination regions with
     * this replicator's ownership and provenance tags. For a separate role: the replicator's own policy denies it.
     *
     * @param name               the replicator's name, the value of its ownership tag
     * @param account            the 12-digit AWS account id
     * @param sourceRegion       the source region
     * @param destinationRegions the destination regions
     * @return the policy
     * @throws IllegalArgumentException naming the field when a value is not allowed
     */
    public static IamPolicy adopt(String name, String account, String sourceRegion, List<String> destinationRegions) {
        return adopt(Scope.of(config(name, sourceRegion, destinationRegions), account));
    }

    /** @return the adopt policy with placeholders, as in {@code iam/adopt-policy.json} */
    public static IamPolicy adoptTemplate() {
        return adopt(Scope.template());
    }

    /**
     * The DR restore policy: find the copy, create a cluster from it (with tags) and watch it, in the given
     * regions.
     *
     * @param account the 12-digit AWS account id
     * @param regions the regions a cluster may be restored in, usually the destination regions
     * @return the policy
     * @throws IllegalArgumentException naming the field when a value is not allowed
     */
    public static IamPolicy restore(String account, List<String> regions) {
        requireAccount(account);
        Objects.requireNonNull(regions, "regions");
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("regions must name at least one region to restore in");
        }
        String partition = partition("regions", regions.get(0));
        regions.forEach(r -> requireSamePartition("regions", r, partition));
        return restore(partition, account, distinct("regions", regions));
    }

    /** @return the restore policy with placeholders, as in {@code iam/restore-policy.json} */
    public static IamPolicy restoreTemplate() {
        return restore("aws", ACCOUNT_PLACEHOLDER, List.of(DR_REGION_PLACEHOLDER));
    }

    /**
     * @param policy a policy
     * @return its JSON, pretty-printed, as written to the files in {@code iam/}
     */
    public static String toJson(IamPolicy policy) {
        return Objects.requireNonNull(policy, "policy").toJson(PRETTY);
    }

    // ----------------------------------------------------------------------------------------- the policies

    private static IamPolicy replicator(Scope s, boolean retention) {
        List<IamStatement> statements = new ArrayList<>();
        statements.add(list(LIST, s.allRegions()));
        statements.add(IamStatement.builder().sid(COPY).effect(IamEffect.ALLOW)
                .addAction("cloudhsm:CopyBackupToRegion")
                .addResource(s.backups(s.source))
                .addCondition(IamConditionOperator.STRING_EQUALS, "aws:RequestTag/" + CopyTags.OWNER, s.name)
                .build());
        statements.add(IamStatement.builder().sid(TAG_COPIES).effect(IamEffect.ALLOW)
                .addAction("cloudhsm:TagResource")
                .addResource(s.backups(s.source))
                .addCondition(IamConditionOperator.STRING_EQUALS, "aws:RequestTag/" + CopyTags.OWNER, s.name)
                .build());
        if (retention) {
            statements.add(IamStatement.builder().sid(DELETE).effect(IamEffect.ALLOW)
                    .actionIds(List.of("cloudhsm:DeleteBackup", "cloudhsm:RestoreBackup"))
                    .resourceIds(s.destinationBackups())
                    .addCondition(IamConditionOperator.STRING_EQUALS, "aws:ResourceTag/" + CopyTags.OWNER, s.name)
                    .build());
        }
        statements.add(IamStatement.builder().sid(DENY_SOURCE).effect(IamEffect.DENY)
                .actionIds(List.of("cloudhsm:DeleteBackup", "cloudhsm:RestoreBackup"))
                .addResource(s.backups(s.source))
                .build());
        statements.add(IamStatement.builder().sid(DENY_TAGGING).effect(IamEffect.DENY)
                .addAction("cloudhsm:TagResource")
                .resourceIds(s.destinationBackups())
                .addCondition(IamConditionOperator.STRING_LIKE.addPrefix("ForAnyValue:"), "aws:TagKeys",
                        PREFIX_PATTERN)
                .build());
        statements.add(IamStatement.builder().sid(DENY_UNTAGGING).effect(IamEffect.DENY)
                .addAction("cloudhsm:UntagResource")
                .addResource(s.backups("*"))
                .addCondition(IamConditionOperator.STRING_LIKE.addPrefix("ForAnyValue:"), "aws:TagKeys",
                        PREFIX_PATTERN)
                .build());
        return policy(statements);
    }

    private static IamPolicy adopt(Scope s) {
        return policy(List.of(list(LIST, s.allRegions()),
                IamStatement.builder().sid(ADOPT).effect(IamEffect.ALLOW)
                        .addAction("cloudhsm:TagResource")
                        .resourceIds(s.destinationBackups())
                        .addCondition(IamConditionOperator.STRING_EQUALS, "aws:RequestTag/" + CopyTags.OWNER, s.name)
                        .addConditions(IamConditionOperator.STRING_EQUALS.addPrefix("ForAllValues:"), "aws:TagKeys",
                                List.of(CopyTags.OWNER, CopyTags.SOURCE_BACKUP, CopyTags.SOURCE_REGION,
                                        CopyTags.SOURCE_CLUSTER))
                        .addCondition(IamConditionOperator.STRING_EQUALS.addSuffix("IfExists"),
                                "aws:RequestTag/" + CopyTags.SOURCE_REGION, s.source)
                        .addCondition(IamConditionOperator.STRING_EQUALS.addSuffix("IfExists"),
                                "aws:ResourceTag/" + CopyTags.SOURCE_REGION, s.source)
                        .addCondition(IamConditionOperator.NULL, "aws:ResourceTag/" + CopyTags.OWNER, "true")
                        .build()));
    }

    private static IamPolicy restore(String partition, String account, List<String> regions) {
        IamStatement find = list("FindBackupsAndWatchClusters", regions);
        IamStatement create = IamStatement.builder().sid("CreateClusterFromBackup").effect(IamEffect.ALLOW)
                .addAction("cloudhsm:CreateCluster").addResource("*")
                .addConditions(IamConditionOperator.STRING_EQUALS, "aws:RequestedRegion", regions)
                .build();
        IamStatement tag = IamStatement.builder().sid("TagTheNewCluster").effect(IamEffect.ALLOW)
                .addAction("cloudhsm:TagResource")
                .resourceIds(regions.stream().map(r -> arn(partition, r, account, "cluster"))
                        .collect(Collectors.toList()))
                .build();
        IamStatement network = IamStatement.builder().sid("NetworkForTheNewCluster").effect(IamEffect.ALLOW)
                .actionIds(EC2_FOR_CREATE_CLUSTER).addResource("*")
                .addConditions(IamConditionOperator.STRING_EQUALS, "aws:RequestedRegion", regions)
                .build();
        return policy(List.of(find, create, tag, network));
    }

    private static IamStatement list(String sid, List<String> regions) {
        return IamStatement.builder().sid(sid).effect(IamEffect.ALLOW)
                .actionIds(List.of("cloudhsm:DescribeBackups", "cloudhsm:DescribeClusters"))
                .addResource("*")
                .addConditions(IamConditionOperator.STRING_EQUALS, "aws:RequestedRegion", regions)
                .build();
    }

    private static IamPolicy policy(List<IamStatement> statements) {
        return IamPolicy.builder().version(VERSION).statements(statements).build();
    }

    private static String arn(String partition, String region, String account, String type) {
        return "arn:" + partition + ":cloudhsm:" + region + ":" + account + ":" + type + "/*";
    }

    // ----------------------------------------------------------------------------------------- validation

    /** The name, account, partition and regions one replicator's policies are scoped to. */
    private static final class Scope {
        final String name;
        final String account;
        final String partition;
        final String source;
        final List<String> destinations;

        private Scope(String name, String account, String partition, String source, List<String> destinations) {
            this.name = name;
            this.account = account;
            this.partition = partition;
            this.source = source;
            this.destinations = List.copyOf(destinations);
        }

        static Scope of(ReplicatorConfig config, String account) {
            requireAccount(account);
            return new Scope(config.name(), account, partition("sourceRegion", config.sourceRegion()),
                    config.sourceRegion(), config.destinationRegions());
        }

        static Scope template() {
            return new Scope(NAME_PLACEHOLDER, ACCOUNT_PLACEHOLDER, "aws", SOURCE_PLACEHOLDER,
                    List.of(DESTINATION_PLACEHOLDER));
        }

        String backups(String region) {
            return arn(partition, region, account, "backup");
        }

        List<String> destinationBackups() {
            return destinations.stream().map(this::backups).collect(Collectors.toList());
        }

        List<String> allRegions() {
            List<String> all = new ArrayList<>();
            all.add(source);
            all.addAll(destinations);
            return all;
        }
    }

    /** Checks name and regions with the replicator's own rules (and messages). */
    private static ReplicatorConfig config(String name, String sourceRegion, List<String> destinationRegions) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sourceRegion, "sourceRegion");
        Objects.requireNonNull(destinationRegions, "destinationRegions");
        return BackupReplicator.builder().name(name).sourceRegion(sourceRegion)
                .destinationRegions(destinationRegions).buildConfig();
    }

    private static void requireAccount(String account) {
        Objects.requireNonNull(account, "account");
        if (!ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("account '" + account + "' is not allowed: use the 12-digit AWS "
                    + "account id");
        }
    }

    private static String partition(String field, String region) {
        Objects.requireNonNull(region, field);
        return AwsRegions.partitionOf(region).orElseThrow(() -> new IllegalArgumentException(field + " '" + region
                + "' is not an AWS region known to the SDK, e.g. us-east-1"));
    }

    private static void requireSamePartition(String field, String region, String partition) {
        String p = partition(field, region);
        if (!p.equals(partition)) {
            throw new IllegalArgumentException(field + " '" + region + "' is in partition " + p
                    + ", not in " + partition + " like the others: CloudHSM copies backups within a partition");
        }
    }

    private static List<String> distinct(String field, List<String> regions) {
        Set<String> set = new LinkedHashSet<>(regions);
        if (set.size() != regions.size()) {
            throw new IllegalArgumentException(field + " " + regions + " names a region twice");
        }
        return List.copyOf(set);
    }
}
