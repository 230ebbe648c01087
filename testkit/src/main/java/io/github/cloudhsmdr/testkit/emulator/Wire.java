package io.github.cloudhsmdr.testkit.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cloudhsmdr.spi.Backup;
import io.github.cloudhsmdr.spi.Cluster;
import io.github.cloudhsmdr.spi.ClusterCertificates;
import io.github.cloudhsmdr.spi.Hsm;
import io.github.cloudhsmdr.testkit.CloudHsmModelException;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The AWS JSON 1.1 wire format of CloudHSM v2: reading request members with the service's type checks and
 * writing Backup / Cluster objects with the API's member names. Timestamps are JSON numbers of epoch seconds
 * with a fraction.
 */
final class Wire {
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    // Errors the service front end answers before any CloudHSM code runs (AWS JSON services, HTTP 400).
    static final String MISSING_AUTHENTICATION_TOKEN = "MissingAuthenticationTokenException";
    static final String INCOMPLETE_SIGNATURE = "IncompleteSignatureException";
    static final String INVALID_SIGNATURE = "InvalidSignatureException";
    static final String UNKNOWN_OPERATION = "UnknownOperationException";
    static final String SERIALIZATION = "SerializationException";

    private static final Pattern TAG_TEXT = Pattern.compile("^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Wire() {
    }

    static CloudHsmModelException error(String code, String message) {
        return new CloudHsmModelException(code, 400, message);
    }

    /** The namespace AWS puts before the code in {@code __type}. */
    static String typePrefix(String errorCode) {
        if (errorCode.startsWith("CloudHsm")) {
            return "com.amazonaws.baldr#";
        }
        if (CloudHsmModelException.THROTTLING.equals(errorCode)) {
            return "com.amazon.coral.availability#";
        }
        return "com.amazon.coral.service#";
    }

    static byte[] errorBody(String errorCode, String message) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("__type", typePrefix(errorCode) + errorCode);
        n.put("message", message);
        return write(n);
    }

    static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON response", e);
        }
    }

    /** Parses a request body; an empty body is an empty object. */
    static ObjectNode parse(byte[] body) {
        if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return MAPPER.createObjectNode();
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            String detail = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage()
                    : e.getMessage();
            throw error(SERIALIZATION, "Request body is not valid JSON: " + abbreviate(detail));
        }
        if (n == null || !n.isObject()) {
            throw error(SERIALIZATION, "Request body must be a JSON object");
        }
        return (ObjectNode) n;
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "unreadable input";
        }
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    // ----------------------------------------------------------------------------------------- request members

    private static JsonNode member(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n;
    }

    static CloudHsmModelException missing(String field) {
        return error(CloudHsmModelException.INVALID_REQUEST,
                "1 validation error detected: Value null at '" + field + "' failed to satisfy constraint: "
                        + "Member must not be null");
    }

    static String string(ObjectNode body, String field) {
        JsonNode n = member(body, field);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw error(SERIALIZATION, "Expected a string for '" + field + "', got " + n.getNodeType());
        }
        return n.textValue();
    }

    static String requiredString(ObjectNode body, String field) {
        String s = string(body, field);
        if (s == null) {
            throw missing(field);
        }
        return s;
    }

    static Integer integer(ObjectNode body, String field) {
        JsonNode n = member(body, field);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw error(SERIALIZATION, "Expected an integer for '" + field + "', got " + n);
        }
        return n.intValue();
    }

    static Boolean bool(ObjectNode body, String field) {
        JsonNode n = member(body, field);
        if (n == null) {
            return null;
        }
        if (!n.isBoolean()) {
            throw error(SERIALIZATION, "Expected a boolean for '" + field + "', got " + n.getNodeType());
        }
        return n.booleanValue();
    }

    static List<String> stringList(ObjectNode body, String field) {
        return stringList(member(body, field), field);
    }

    private static List<String> stringList(JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw error(SERIALIZATION, "Expected a list of strings for '" + field + "', got " + n.getNodeType());
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw error(SERIALIZATION, "Expected a list of strings for '" + field + "', got an element "
                        + e.getNodeType());
            }
            out.add(e.textValue());
        }
        return out;
    }

    /** Reads {@code Filters}: a map of field name to a list of strings; absent gives an empty map. */
    static Map<String, List<String>> filters(ObjectNode body, String field) {
        JsonNode n = member(body, field);
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        if (!n.isObject()) {
            throw error(SERIALIZATION, "Expected a map for '" + field + "', got " + n.getNodeType());
        }
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            List<String> values = stringList(e.getValue(), field + "." + e.getKey());
            out.put(e.getKey(), values == null ? List.of() : values);
        }
        if (out.size() > 30) {
            throw error(CloudHsmModelException.INVALID_REQUEST,
                    "Filters can have at most 30 keys, had " + out.size());
        }
        for (String key : out.keySet()) {
            if (!key.matches("[a-zA-Z0-9_-]+")) {
                throw error(CloudHsmModelException.INVALID_REQUEST,
                        "Filter key '" + key + "' does not match [a-zA-Z0-9_-]+");
            }
        }
        return out;
    }

    /**
     * Reads a {@code TagList} of {@code {Key, Value}}: {@code null} when absent, else 1 to 50 distinct keys that
     * match the tag pattern.
     */
    static Map<String, String> tagList(ObjectNode body, String field) {
        JsonNode n = member(body, field);
        if (n == null) {
            return null;
        }
        if (!n.isArray()) {
            throw error(SERIALIZATION, "Expected a list of tags for '" + field + "', got " + n.getNodeType());
        }
        if (n.size() < 1 || n.size() > 50) {
            throw error(CloudHsmModelException.INVALID_REQUEST,
                    field + " must hold 1 to 50 tags, had " + n.size());
        }
        Map<String, String> tags = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode t : n) {
            i++;
            if (!t.isObject()) {
                throw error(SERIALIZATION, "Expected a tag object in '" + field + "', got " + t.getNodeType());
            }
            String key = requiredString((ObjectNode) t, field + "." + i + ".member.Key", "Key");
            String value = requiredString((ObjectNode) t, field + "." + i + ".member.Value", "Value");
            if (!TAG_TEXT.matcher(key).matches() || !TAG_TEXT.matcher(value).matches()) {
                throw error(CloudHsmModelException.INVALID_REQUEST, "Tag '" + key + "' has characters outside "
                        + TAG_TEXT.pattern());
            }
            if (tags.put(key, value) != null) {
                throw error(CloudHsmModelException.INVALID_REQUEST, "Duplicate tag key '" + key + "' in " + field);
            }
        }
        return tags;
    }

    private static String requiredString(ObjectNode tag, String path, String field) {
        JsonNode n = member(tag, field);
        if (n == null) {
            throw missing(path);
        }
        if (!n.isTextual()) {
            throw error(SERIALIZATION, "Expected a string for '" + path + "', got " + n.getNodeType());
        }
        return n.textValue();
    }

    // ----------------------------------------------------------------------------------------- responses

    /** Epoch seconds with the fraction of the instant, as AWS JSON timestamps are written. */
    static BigDecimal timestamp(Instant t) {
        BigDecimal d = BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9))
                .stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    private static void put(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    private static void put(ObjectNode n, String field, Instant value) {
        if (value != null) {
            n.put(field, timestamp(value));
        }
    }

    static ArrayNode tags(Map<String, String> tags) {
        ArrayNode a = MAPPER.createArrayNode();
        new TreeMap<>(tags).forEach((k, v) -> a.addObject().put("Key", k).put("Value", v));
        return a;
    }

    static ObjectNode backup(Backup b) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("BackupId", b.backupId());
        put(n, "BackupArn", b.backupArn());
        n.put("BackupState", b.state().name());
        put(n, "ClusterId", b.clusterId());
        put(n, "CreateTimestamp", b.createTimestamp());
        put(n, "CopyTimestamp", b.copyTimestamp());
        put(n, "DeleteTimestamp", b.deleteTimestamp());
        n.put("NeverExpires", b.neverExpires());
        put(n, "SourceRegion", b.sourceRegion());
        put(n, "SourceBackup", b.sourceBackup());
        put(n, "SourceCluster", b.sourceCluster());
        put(n, "HsmType", b.hsmType());
        put(n, "Mode", b.mode());
        if (!b.tags().isEmpty()) {
            n.set("TagList", tags(b.tags()));
        }
        return n;
    }

    static ObjectNode cluster(Cluster c) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("BackupPolicy", "DEFAULT");
        n.putObject("BackupRetentionPolicy").put("Type", "DAYS").put("Value", "90");
        n.put("ClusterId", c.clusterId());
        put(n, "CreateTimestamp", c.createTimestamp());
        ArrayNode hsms = n.putArray("Hsms");
        c.hsms().forEach(h -> hsms.add(hsm(h)));
        put(n, "HsmType", c.hsmType());
        put(n, "SourceBackupId", c.sourceBackupId());
        put(n, "State", c.state());
        put(n, "StateMessage", c.stateMessage());
        put(n, "VpcId", c.vpcId());
        n.put("NetworkType", "IPV4");
        put(n, "Mode", c.mode());
        if (!c.subnetMapping().isEmpty()) {
            ObjectNode m = n.putObject("SubnetMapping");
            new TreeMap<>(c.subnetMapping()).forEach(m::put);
        }
        ClusterCertificates certs = c.certificates();
        if (!ClusterCertificates.NONE.equals(certs)) {
            ObjectNode cn = n.putObject("Certificates");
            put(cn, "ClusterCertificate", certs.clusterCertificate());
            put(cn, "ClusterCsr", certs.clusterCsr());
            put(cn, "HsmCertificate", certs.hsmCertificate());
            put(cn, "AwsHardwareCertificate", certs.awsHardwareCertificate());
            put(cn, "ManufacturerHardwareCertificate", certs.manufacturerHardwareCertificate());
        }
        if (!c.tags().isEmpty()) {
            n.set("TagList", tags(c.tags()));
        }
        return n;
    }

    static ObjectNode hsm(Hsm h) {
        ObjectNode n = MAPPER.createObjectNode();
        put(n, "AvailabilityZone", h.availabilityZone());
        put(n, "ClusterId", h.clusterId());
        put(n, "SubnetId", h.subnetId());
        put(n, "EniId", h.eniId());
        put(n, "EniIp", h.eniIp());
        n.put("HsmId", h.hsmId());
        put(n, "State", h.state());
        put(n, "StateMessage", h.stateMessage());
        return n;
    }
}
