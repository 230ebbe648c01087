package io.github.cloudhsmdr.lambda.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A Logback encoder that writes each event as one JSON object on one line, in the shape Lambda's JSON log format
 * reads: {@code timestamp} (RFC 3339, UTC; Lambda keeps it), {@code level} (Lambda's log-level filtering reads
 * it), {@code message} (formatted), {@code logger}, then every MDC entry as a member ({@code runId} during a run,
 * {@code requestId} during an invocation), and for an exception {@code errorType}, {@code errorMessage} and
 * {@code stackTrace}, the names Lambda uses for its own errors.
 *
 * <p>Logback's own {@code JsonEncoder} writes the timestamp as epoch milliseconds and the unformatted message
 * template, which Lambda's filter does not accept; logstash-logback-encoder fits but needs jackson-databind, which
 * would add about 2 MB to the deployment package. This encoder needs jackson-core only. Thread-safe.
 */
public final class LambdaJsonEncoder extends EncoderBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NOTHING = new byte[0];
    private static final Set<String> RESERVED = Set.of("timestamp", "level", "message", "logger", "errorType",
            "errorMessage", "stackTrace");

    /** An encoder; Logback creates it from {@code logback.xml}. */
    public LambdaJsonEncoder() {
    }

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            Instant at = event.getInstant() != null ? event.getInstant() : Instant.ofEpochMilli(event.getTimeStamp());
            g.writeStringField("timestamp", at.toString());
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("message", event.getFormattedMessage());
            g.writeStringField("logger", event.getLoggerName());
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null) {
                for (Map.Entry<String, String> e : mdc.entrySet()) {
                    if (!RESERVED.contains(e.getKey())) {
                        g.writeStringField(e.getKey(), e.getValue());
                    }
                }
            }
            IThrowableProxy error = event.getThrowableProxy();
            if (error != null) {
                g.writeStringField("errorType", error.getClassName());
                g.writeStringField("errorMessage", error.getMessage());
                g.writeStringField("stackTrace", ThrowableProxyUtil.asString(error));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a log event as JSON", e); // in memory: does not happen
        }
        out.write('\n');
        return out.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }
}
