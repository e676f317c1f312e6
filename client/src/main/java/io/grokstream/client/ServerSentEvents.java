package io.grokstream.client;

import java.util.Iterator;

/**
 * The text/event-stream format (the WHATWG HTML standard, "server-sent events") read line by line: {@code event:}
 * names the event, {@code data:} lines join with newlines, a blank line dispatches, {@code :} starts a comment.
 */
final class ServerSentEvents {
    /** Receives one dispatched event. */
    @FunctionalInterface
    interface Sink {
        GatewayClient.Next event(String name, String data);
    }

    private ServerSentEvents() {
    }

    /**
     * Reads events from {@code lines} until the sink says stop (true) or the lines end (false). An event without
     * {@code event:} is a {@code message}.
     */
    static boolean read(Iterator<String> lines, Sink sink) {
        String name = "message";
        StringBuilder data = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (data != null && sink.event(name, data.toString()) == GatewayClient.Next.STOP) {
                    return true;
                }
                name = "message";
                data = null;
            } else if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                String value = line.substring(5);
                value = value.startsWith(" ") ? value.substring(1) : value;
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
            // "id:", "retry:" and ":" comments carry nothing the client uses
        }
        return false;
    }
}
