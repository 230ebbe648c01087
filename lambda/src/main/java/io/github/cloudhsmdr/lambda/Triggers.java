package io.github.cloudhsmdr.lambda;

import java.util.List;
import java.util.Map;

/**
 * Says, for the log, what invoked the handler: an EventBridge Scheduler schedule (the input the
 * {@code CloudHsmDrReplicator} construct gives its schedule carries the schedule's ARN, scheduled time and
 * attempt), a classic EventBridge scheduled rule ({@code "source": "aws.events"}, {@code "detail-type":
 * "Scheduled Event"}), or a direct invocation.
 */
final class Triggers {
    /** Input members the construct's schedule fills from EventBridge Scheduler's context attributes. */
    static final String SCHEDULE_ARN = "scheduleArn";
    static final String SCHEDULED_TIME = "scheduledTime";
    static final String ATTEMPT = "attempt";
    static final String EXECUTION_ID = "executionId";

    private Triggers() {
    }

    static String describe(Map<String, Object> input) {
        if (input == null || input.isEmpty()) {
            return "direct";
        }
        if (input.get(SCHEDULE_ARN) != null) {
            return "scheduler schedule=" + input.get(SCHEDULE_ARN) + " scheduledTime=" + input.get(SCHEDULED_TIME)
                    + " attempt=" + input.get(ATTEMPT) + " executionId=" + input.get(EXECUTION_ID);
        }
        if ("aws.events".equals(input.get("source"))) {
            Object resources = input.get("resources");
            Object rule = resources instanceof List<?> l && !l.isEmpty() ? l.get(0) : "?";
            return "eventbridge-rule rule=" + rule + " time=" + input.get("time") + " id=" + input.get("id");
        }
        return "direct";
    }
}
