package io.github.cloudhsmdr.testkit.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.BackupFilter;
import io.github.cloudhsmdr.spi.BackupState;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.spi.CopyResult;
import io.github.cloudhsmdr.testkit.CloudHsmModel;
import io.github.cloudhsmdr.testkit.CloudHsmModelException;
import io.github.cloudhsmdr.testkit.FaultInjector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Serves one CloudHSM v2 request: front-end checks (target, SigV4 credential scope, JSON), the region's rate
 * limit, injected latency, injected faults, the access policy, then the operation on the model.
 */
final class EmulatorHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(EmulatorHandler.class);

    static final String TARGET_PREFIX = "BaldrApiService.";
    private static final int MAX_BODY_BYTES = 1 << 20;
    private static final Pattern REGION =
            Pattern.compile("[a-z]{2}(-(gov))?-(east|west|north|south|central){1,2}-\\d");
    private static final Pattern RESOURCE_ID = Pattern.compile("(?:cluster|backup)-[2-7a-zA-Z]{11,16}");
    private static final String CALLER = "arn:aws:iam::" + CloudHsmModel.ACCOUNT_ID + ":user/cloudhsm-emulator";

    private final CloudHsmEmulator emulator;
    private final Map<String, BiFunction<String, ObjectNode, ObjectNode>> operations = new HashMap<>();

    /** Thrown inside the handler when the response must not be delivered. */
    private static final class NoResponse extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final boolean withhold;

        NoResponse(boolean withhold) {
            super(null, null, false, false);
            this.withhold = withhold;
        }
    }

    EmulatorHandler(CloudHsmEmulator emulator) {
        this.emulator = emulator;
        operations.put("DescribeBackups", this::describeBackups);
        operations.put("CopyBackupToRegion", this::copyBackupToRegion);
        operations.put("DeleteBackup", this::deleteBackup);
        operations.put("RestoreBackup", this::restoreBackup);
        operations.put("ModifyBackupAttributes", this::modifyBackupAttributes);
        operations.put("TagResource", this::tagResource);
        operations.put("UntagResource", this::untagResource);
        operations.put("ListTags", this::listTags);
        operations.put("DescribeClusters", this::describeClusters);
        operations.put("CreateCluster", this::createCluster);
        operations.put("DeleteCluster", this::deleteCluster);
        operations.put("CreateHsm", this::createHsm);
        operations.put("DeleteHsm", this::deleteHsm);
    }

    /** @return the operations served. */
    Set<String> operations() {
        return Set.copyOf(operations.keySet());
    }

    private CloudHsmModel model() {
        return emulator.model();
    }

    /**
     * Serves one exchange. The request is logged before its response is written, so a client that has its
     * answer finds the request in the log.
     */
    @Override
    public void handle(HttpExchange exchange) {
        Instant time = model().clock().instant();
        String operation = null;
        String region = null;
        int status;
        String errorCode = null;
        byte[] response = null;
        boolean withhold = false;
        try {
            operation = operationOf(exchange);
            region = regionOf(exchange.getRequestHeaders());
            Optional<FaultInjector.RegionDownMode> down = emulator.faults().regionDownMode(region);
            if (down.isPresent()) {
                emulator.faults().recordInjected(FaultInjector.Kind.REGION_DOWN);
                if (down.get() == FaultInjector.RegionDownMode.CLOSE_CONNECTION) {
                    throw new NoResponse(false);
                }
                throw CloudHsmModelException.of(CloudHsmModelException.SERVICE_UNAVAILABLE,
                        "Service unavailable in " + region + " (injected fault)");
            }
            byte[] raw = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
            if (raw.length > MAX_BODY_BYTES) {
                throw Wire.error(Wire.SERIALIZATION, "Request body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            ObjectNode body = Wire.parse(raw);
            if (!emulator.rateLimiter().tryAcquire(region)) {
                // as AWS answers it, at once; nothing below (latency, faults, access policy, model) sees the request
                throw CloudHsmModelException.of(CloudHsmModelException.THROTTLING, "Rate exceeded");
            }
            Duration latency = emulator.faults().latency(operation, region);
            if (!latency.isZero()) {
                emulator.faults().recordInjected(FaultInjector.Kind.LATENCY);
                emulator.sleeper().sleep(latency);
            }
            emulator.faults().beforeOperation(operation, region);
            response = Wire.write(operations.get(operation).apply(region, body));
            status = 200;
        } catch (CloudHsmModelException e) {
            status = e.httpStatus();
            errorCode = e.errorCode();
            response = Wire.errorBody(errorCode, String.valueOf(e.getMessage()));
        } catch (NoResponse e) {
            status = 0;
            errorCode = RequestLog.NO_RESPONSE;
            withhold = e.withhold;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 0;
            errorCode = RequestLog.NO_RESPONSE;
        } catch (IOException e) {
            LOG.debug("I/O error reading operation={} region={}: {}", operation, region, e.toString());
            status = 0;
            errorCode = RequestLog.NO_RESPONSE;
        } catch (RuntimeException e) {
            LOG.warn("Unexpected error serving operation={} region={}", operation, region, e);
            status = 500;
            errorCode = CloudHsmModelException.INTERNAL_FAILURE;
            response = Wire.errorBody(errorCode, "An internal failure occurred");
        }
        emulator.requestLog().record(new RequestLog.Entry(operation, region, status, errorCode, time));
        LOG.debug("served operation={} region={} status={} error={}", operation, region, status, errorCode);
        if (response == null) {
            if (withhold) {
                withhold(emulator.faults().withholdFor());
            }
            exchange.close();
            return;
        }
        try {
            send(exchange, status, status == 200 ? null : errorCode, response);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not deliver the response of operation={} region={}: {}", operation, region, e.toString());
            exchange.close();
        }
    }

    private void withhold(Duration duration) {
        CountDownLatch latch = new CountDownLatch(1);
        emulator.hold(latch);
        try {
            latch.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            emulator.release(latch);
        }
    }

    private static void send(HttpExchange exchange, int status, String errorCode, byte[] body) throws IOException {
        Headers h = exchange.getResponseHeaders();
        h.set("Content-Type", Wire.CONTENT_TYPE);
        h.set("x-amzn-RequestId", UUID.randomUUID().toString());
        if (errorCode != null) {
            h.set("x-amzn-ErrorType", errorCode);
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    // ----------------------------------------------------------------------------------------- front end

    private String operationOf(HttpExchange exchange) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (!"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
            throw Wire.error(Wire.UNKNOWN_OPERATION, "Only POST is supported, got " + exchange.getRequestMethod());
        }
        if (target == null || target.isBlank()) {
            throw Wire.error(Wire.UNKNOWN_OPERATION, "Missing X-Amz-Target header");
        }
        String t = target.trim();
        String op = t.startsWith(TARGET_PREFIX) ? t.substring(TARGET_PREFIX.length()) : null;
        if (op == null || !operations.containsKey(op)) {
            throw Wire.error(Wire.UNKNOWN_OPERATION, "Unknown operation: " + abbreviate(t));
        }
        return op;
    }

    /** Reads the region from the SigV4 credential scope; signatures are not verified. */
    static String regionOf(Headers headers) {
        String auth = headers.getFirst("Authorization");
        if (auth == null || auth.isBlank() || !auth.trim().startsWith("AWS4-")) {
            throw Wire.error(Wire.MISSING_AUTHENTICATION_TOKEN, "Request is missing Authentication Token");
        }
        String a = auth.trim();
        int space = a.indexOf(' ');
        Map<String, String> params = new HashMap<>();
        for (String part : (space < 0 ? "" : a.substring(space + 1)).split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw Wire.error(Wire.INCOMPLETE_SIGNATURE, "'" + abbreviate(p.length() > 20 ? p.substring(0, 20) : p)
                        + "' not a valid key=value pair (missing equal-sign) in Authorization header");
            }
            params.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        StringBuilder problems = new StringBuilder();
        for (String required : List.of("Credential", "Signature", "SignedHeaders")) {
            if (params.getOrDefault(required, "").isEmpty()) {
                problems.append("Authorization header requires '").append(required).append("' parameter. ");
            }
        }
        if (headers.getFirst("X-Amz-Date") == null && headers.getFirst("Date") == null) {
            problems.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }
        if (problems.length() > 0) {
            throw Wire.error(Wire.INCOMPLETE_SIGNATURE, problems.toString().trim());
        }
        String[] scope = params.get("Credential").split("/", -1);
        if (scope.length != 5) {
            throw Wire.error(Wire.INCOMPLETE_SIGNATURE, "Credential must have exactly 5 slash-delimited elements, "
                    + "e.g. keyid/date/region/service/term, got " + scope.length);
        }
        if (!"aws4_request".equals(scope[4])) {
            throw Wire.error(Wire.INCOMPLETE_SIGNATURE, "Credential should be scoped with a valid terminator: "
                    + "'aws4_request', not '" + abbreviate(scope[4]) + "'.");
        }
        if (!REGION.matcher(scope[2]).matches()) {
            throw Wire.error(Wire.INVALID_SIGNATURE, "Credential should be scoped to a valid region, not '"
                    + abbreviate(scope[2]) + "'.");
        }
        if (!"cloudhsm".equals(scope[3])) {
            throw Wire.error(Wire.INVALID_SIGNATURE, "Credential should be scoped to correct service: 'cloudhsm'.");
        }
        return scope[2];
    }

    private static String abbreviate(String s) {
        String c = s.replaceAll("[^\\x20-\\x7e]", "?");
        return c.length() > 100 ? c.substring(0, 100) + "..." : c;
    }

    // ----------------------------------------------------------------------------------------- access policy

    /**
     * Evaluates the access policy for one action on one resource. A resource that does not exist is evaluated
     * without resource tags; when that alone denies an action some statement allows, the operation answers
     * not-found instead.
     */
    private void authorize(String action, String region, String resourceId, String resourceArn,
                           Map<String, String> requestTags) {
        AccessPolicy policy = emulator.accessPolicy();
        if (policy.allowsAll()) {
            return;
        }
        Optional<Map<String, String>> tags = resourceId == null ? Optional.of(Map.of())
                : model().resourceTags(region, resourceId);
        AccessPolicy.Request request = new AccessPolicy.Request(action, resourceArn, region, tags.orElse(Map.of()),
                requestTags, AccessPolicy.keys(requestTags));
        deny(policy, request, tags.isEmpty());
    }

    private static void deny(AccessPolicy policy, AccessPolicy.Request request, boolean unknownResource) {
        AccessPolicy.Decision decision = policy.evaluate(request);
        if (decision == AccessPolicy.Decision.ALLOW
                || decision == AccessPolicy.Decision.IMPLICIT_DENY && unknownResource && policy.mentions(request.action())) {
            return;
        }
        String why = decision == AccessPolicy.Decision.EXPLICIT_DENY
                ? " with an explicit deny in an identity-based policy"
                : " because no identity-based policy allows the " + request.action() + " action";
        throw CloudHsmModelException.of(CloudHsmModelException.ACCESS_DENIED, "User: " + CALLER
                + " is not authorized to perform: " + request.action() + " on resource: " + request.resource() + why);
    }

    private void authorize(String action, String region, String resourceId, String resourceArn) {
        authorize(action, region, resourceId, resourceArn, Map.of());
    }

    private static String arn(String region, String resourceId) {
        if (resourceId == null || !RESOURCE_ID.matcher(resourceId).matches()) {
            return "*";
        }
        String type = resourceId.startsWith("cluster-") ? "cluster" : "backup";
        return arnPrefix(region) + type + "/" + resourceId;
    }

    private static String clusterArn(String region, String clusterId) {
        return arnPrefix(region) + "cluster/" + clusterId;
    }

    private static String arnPrefix(String region) {
        String partition = region.contains("-gov-") ? "aws-us-gov" : region.startsWith("cn-") ? "aws-cn" : "aws";
        return "arn:" + partition + ":cloudhsm:" + region + ":" + CloudHsmModel.ACCOUNT_ID + ":";
    }

    private void authorizeOn(String action, String region, String resourceId) {
        authorize(action, region, resourceId, arn(region, resourceId));
    }

    private void authorizeOn(String action, String region, String resourceId, Map<String, String> requestTags) {
        authorize(action, region, resourceId, arn(region, resourceId), requestTags);
    }

    // ----------------------------------------------------------------------------------------- operations

    private ObjectNode describeBackups(String region, ObjectNode body) {
        authorize("cloudhsm:DescribeBackups", region, null, "*");
        String token = nextToken(body);
        Integer maxResults = Wire.integer(body, "MaxResults");
        Boolean sortAscending = Wire.bool(body, "SortAscending");
        Boolean shared = Wire.bool(body, "Shared");
        BackupFilter filter = backupFilter(Wire.filters(body, "Filters"));
        CloudHsmModel.BackupPage page = model().describeBackups(region, filter, sortAscending, maxResults, token);
        ObjectNode out = Wire.MAPPER.createObjectNode();
        ArrayNode list = out.putArray("Backups");
        if (Boolean.TRUE.equals(shared)) {
            // one account: nothing is shared with the caller
            return out;
        }
        page.backups().forEach(b -> list.add(Wire.backup(b)));
        if (page.nextToken() != null) {
            out.put("NextToken", page.nextToken());
        }
        return out;
    }

    private static BackupFilter backupFilter(Map<String, List<String>> filters) {
        Set<String> backupIds = new HashSet<>();
        Set<String> sourceBackupIds = new HashSet<>();
        Set<String> clusterIds = new HashSet<>();
        Set<BackupState> states = EnumSet.noneOf(BackupState.class);
        Boolean neverExpires = null;
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            List<String> values = f.getValue();
            switch (f.getKey()) {
                case "backupIds":
                    backupIds.addAll(values);
                    break;
                case "sourceBackupIds":
                    sourceBackupIds.addAll(values);
                    break;
                case "clusterIds":
                    clusterIds.addAll(values);
                    break;
                case "states":
                    for (String v : values) {
                        BackupState s = BackupState.fromApi(v);
                        if (s == BackupState.UNKNOWN || !s.name().equals(v)) {
                            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                                    "Invalid value '" + v + "' for filter states; valid values are "
                                            + "CREATE_IN_PROGRESS, READY, DELETED, PENDING_DELETION");
                        }
                        states.add(s);
                    }
                    break;
                case "neverExpires":
                    Set<Boolean> flags = new HashSet<>();
                    for (String v : values) {
                        String l = v.toLowerCase(Locale.ROOT);
                        if (!l.equals("true") && !l.equals("false")) {
                            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                                    "Invalid value '" + v + "' for filter neverExpires; valid values are true, false");
                        }
                        flags.add(Boolean.valueOf(l));
                    }
                    neverExpires = flags.size() == 1 ? flags.iterator().next() : null;
                    break;
                default:
                    throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                            "Invalid filter '" + f.getKey() + "'; valid filters are backupIds, sourceBackupIds, "
                                    + "clusterIds, states, neverExpires");
            }
        }
        if (filters.containsKey("backupIds") && backupIds.isEmpty()
                || filters.containsKey("sourceBackupIds") && sourceBackupIds.isEmpty()
                || filters.containsKey("clusterIds") && clusterIds.isEmpty()) {
            // an explicit empty list of ids matches nothing: never widen a filter to "all"
            return new BackupFilter(Set.of("-"), null, null, null, null);
        }
        return new BackupFilter(backupIds, sourceBackupIds, clusterIds, states, neverExpires);
    }

    private ObjectNode copyBackupToRegion(String region, ObjectNode body) {
        String backupId = Wire.requiredString(body, "BackupId");
        String destination = Wire.requiredString(body, "DestinationRegion");
        Map<String, String> tags = Wire.tagList(body, "TagList");
        // The tags the copy will carry (the request's, or else the source backup's) are the request's tags for both
        // checks. AWS lists TagResource as a dependent action of CopyBackupToRegion but does not document on which
        // resource: by default the source backup's ARN in the source region, or a backup ARN of the destination.
        Map<String, String> sourceTags = model().resourceTags(region, backupId).orElse(Map.of());
        Map<String, String> copyTags = tags != null && !tags.isEmpty() ? tags : sourceTags;
        authorizeOn("cloudhsm:CopyBackupToRegion", region, backupId, copyTags);
        if (!copyTags.isEmpty()) {
            if (emulator.copyTagCheck() == CloudHsmEmulator.CopyTagCheck.SOURCE_BACKUP) {
                authorizeOn("cloudhsm:TagResource", region, backupId, copyTags);
            } else {
                authorize("cloudhsm:TagResource", region, null, arnPrefix(destination) + "backup/*", copyTags);
            }
        }
        FaultInjector faults = emulator.faults();
        boolean failInsideAws = faults.drawCopyFailure(destination);
        boolean dropTags = faults.drawDropCopyTags(destination);
        boolean stripTags = faults.drawStripTagsLater(destination);
        CopyResult r = model().copyBackupToRegion(region, backupId, destination, dropTags ? null : tags,
                failInsideAws);
        if (failInsideAws) {
            faults.recordInjected(FaultInjector.Kind.COPY_FAILURE);
        }
        if (dropTags) {
            faults.recordInjected(FaultInjector.Kind.COPY_TAGS_DROPPED);
        }
        if (stripTags) {
            model().stripTagsOnCompletion(destination, backupId);
            faults.recordInjected(FaultInjector.Kind.TAGS_STRIPPED);
        }
        if (faults.drawTimeoutAfterCopy(region)) {
            faults.recordInjected(FaultInjector.Kind.TIMEOUT_AFTER_COPY);
            throw new NoResponse(faults.noResponseMode() == FaultInjector.NoResponseMode.WITHHOLD);
        }
        ObjectNode out = Wire.MAPPER.createObjectNode();
        ObjectNode d = out.putObject("DestinationBackup");
        if (r.createTimestamp() != null) {
            d.put("CreateTimestamp", Wire.timestamp(r.createTimestamp()));
        }
        d.put("SourceRegion", r.sourceRegion());
        d.put("SourceBackup", r.sourceBackup());
        if (r.sourceCluster() != null) {
            d.put("SourceCluster", r.sourceCluster());
        }
        return out;
    }

    private ObjectNode deleteBackup(String region, ObjectNode body) {
        String backupId = Wire.requiredString(body, "BackupId");
        authorizeOn("cloudhsm:DeleteBackup", region, backupId);
        return backupResponse(model().deleteBackup(region, backupId));
    }

    private ObjectNode restoreBackup(String region, ObjectNode body) {
        String backupId = Wire.requiredString(body, "BackupId");
        authorizeOn("cloudhsm:RestoreBackup", region, backupId);
        return backupResponse(model().restoreBackup(region, backupId));
    }

    private ObjectNode modifyBackupAttributes(String region, ObjectNode body) {
        String backupId = Wire.requiredString(body, "BackupId");
        Boolean neverExpires = Wire.bool(body, "NeverExpires");
        if (neverExpires == null) {
            throw Wire.missing("NeverExpires");
        }
        authorizeOn("cloudhsm:ModifyBackupAttributes", region, backupId);
        return backupResponse(model().modifyBackupAttributes(region, backupId, neverExpires));
    }

    private static ObjectNode backupResponse(Backup b) {
        ObjectNode out = Wire.MAPPER.createObjectNode();
        out.set("Backup", Wire.backup(b));
        return out;
    }

    private static String resourceId(ObjectNode body) {
        String id = Wire.requiredString(body, "ResourceId");
        if (!RESOURCE_ID.matcher(id).matches()) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                    "ResourceId '" + abbreviate(id) + "' does not match " + RESOURCE_ID.pattern());
        }
        return id;
    }

    private ObjectNode tagResource(String region, ObjectNode body) {
        String id = resourceId(body);
        Map<String, String> tags = Wire.tagList(body, "TagList");
        if (tags == null) {
            throw Wire.missing("TagList");
        }
        authorizeOn("cloudhsm:TagResource", region, id, tags);
        model().tagResource(region, id, tags);
        return Wire.MAPPER.createObjectNode();
    }

    private ObjectNode untagResource(String region, ObjectNode body) {
        String id = resourceId(body);
        List<String> keys = Wire.stringList(body, "TagKeyList");
        if (keys == null) {
            throw Wire.missing("TagKeyList");
        }
        if (keys.isEmpty() || keys.size() > 50) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                    "TagKeyList must hold 1 to 50 keys, had " + keys.size());
        }
        AccessPolicy policy = emulator.accessPolicy();
        if (!policy.allowsAll()) {
            Optional<Map<String, String>> current = model().resourceTags(region, id);
            deny(policy, new AccessPolicy.Request("cloudhsm:UntagResource", arn(region, id), region,
                    current.orElse(Map.of()), Map.of(), new LinkedHashSet<>(keys)), current.isEmpty());
        }
        model().untagResource(region, id, new LinkedHashSet<>(keys));
        return Wire.MAPPER.createObjectNode();
    }

    private ObjectNode listTags(String region, ObjectNode body) {
        String id = resourceId(body);
        String token = nextToken(body);
        Integer maxResults = Wire.integer(body, "MaxResults");
        authorizeOn("cloudhsm:ListTags", region, id);
        CloudHsmModel.TagPage page = model().listTags(region, id, maxResults, token);
        ObjectNode out = Wire.MAPPER.createObjectNode();
        out.set("TagList", Wire.tags(page.tags()));
        if (page.nextToken() != null) {
            out.put("NextToken", page.nextToken());
        }
        return out;
    }

    private ObjectNode describeClusters(String region, ObjectNode body) {
        authorize("cloudhsm:DescribeClusters", region, null, "*");
        String token = nextToken(body);
        Integer maxResults = Wire.integer(body, "MaxResults");
        Map<String, List<String>> filters = Wire.filters(body, "Filters");
        for (String key : filters.keySet()) {
            if (!Set.of("clusterIds", "states", "vpcIds").contains(key)) {
                throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                        "Invalid filter '" + key + "'; valid filters are clusterIds, states, vpcIds");
            }
        }
        CloudHsmModel.ClusterPage page = model().describeClusters(region,
                idSet(filters.get("clusterIds")), idSet(filters.get("states")), idSet(filters.get("vpcIds")),
                maxResults, token);
        ObjectNode out = Wire.MAPPER.createObjectNode();
        ArrayNode list = out.putArray("Clusters");
        page.clusters().forEach(c -> list.add(Wire.cluster(c)));
        if (page.nextToken() != null) {
            out.put("NextToken", page.nextToken());
        }
        return out;
    }

    private static Set<String> idSet(List<String> values) {
        if (values == null) {
            return null;
        }
        // an explicit empty list matches nothing
        return values.isEmpty() ? Set.of("-") : new HashSet<>(values);
    }

    private ObjectNode createCluster(String region, ObjectNode body) {
        String hsmType = Wire.requiredString(body, "HsmType");
        List<String> subnetIds = Wire.stringList(body, "SubnetIds");
        if (subnetIds == null) {
            throw Wire.missing("SubnetIds");
        }
        String sourceBackupId = Wire.string(body, "SourceBackupId");
        Map<String, String> tags = Wire.tagList(body, "TagList");
        String backupId = sourceBackupId != null && sourceBackupId.startsWith("arn:")
                ? sourceBackupId.substring(sourceBackupId.lastIndexOf('/') + 1) : sourceBackupId;
        Map<String, String> requestTags = tags == null ? Map.of() : tags;
        authorize("cloudhsm:CreateCluster", region, backupId, backupId == null ? "*" : arn(region, backupId),
                requestTags);
        if (!requestTags.isEmpty()) {
            // the new cluster's tags: TagResource on a cluster ARN of the region (its id is not known yet)
            authorize("cloudhsm:TagResource", region, null, clusterArn(region, "*"), requestTags);
        }
        Cluster c = model().createCluster(region, sourceBackupId, hsmType, subnetIds, tags);
        ObjectNode out = Wire.MAPPER.createObjectNode();
        out.set("Cluster", Wire.cluster(c));
        return out;
    }

    private ObjectNode deleteCluster(String region, ObjectNode body) {
        String clusterId = Wire.requiredString(body, "ClusterId");
        authorizeOn("cloudhsm:DeleteCluster", region, clusterId);
        Cluster c = model().deleteCluster(region, clusterId);
        ObjectNode out = Wire.MAPPER.createObjectNode();
        out.set("Cluster", Wire.cluster(c));
        return out;
    }

    private ObjectNode createHsm(String region, ObjectNode body) {
        String clusterId = Wire.requiredString(body, "ClusterId");
        String zone = Wire.requiredString(body, "AvailabilityZone");
        authorizeOn("cloudhsm:CreateHsm", region, clusterId);
        ObjectNode out = Wire.MAPPER.createObjectNode();
        out.set("Hsm", Wire.hsm(model().createHsm(region, clusterId, zone)));
        return out;
    }

    private ObjectNode deleteHsm(String region, ObjectNode body) {
        String clusterId = Wire.requiredString(body, "ClusterId");
        String hsmId = Wire.string(body, "HsmId");
        if (hsmId == null) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                    "DeleteHsm needs HsmId (the emulator does not look HSMs up by EniId or EniIp)");
        }
        authorizeOn("cloudhsm:DeleteHsm", region, clusterId);
        model().deleteHsm(region, clusterId, hsmId);
        ObjectNode out = Wire.MAPPER.createObjectNode();
        out.put("HsmId", hsmId);
        return out;
    }

    private static String nextToken(ObjectNode body) {
        String token = Wire.string(body, "NextToken");
        if (token != null && token.length() > 256) {
            throw CloudHsmModelException.of(CloudHsmModelException.INVALID_REQUEST,
                    "NextToken must be at most 256 characters, had " + token.length());
        }
        return token;
    }
}
