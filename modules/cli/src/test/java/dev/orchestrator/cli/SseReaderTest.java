package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CLI's reading of text/event-stream, as the server writes it. */
class SseReaderTest {
    @Test
    void eventsCommentsAndIds() {
        var got = new ArrayList<String>();
        var r = new EventsCommand.SseReader((event, data) -> got.add(data));
        for (String line : List.of("id:7", "event:event", "data:{\"a\":1}", "", ":following", "data:", "",
                "id: 8", "data: first", "data: second", "", "id:9", "data:{\"cut\"")) {
            r.line(line);
        }
        assertEquals(List.of("{\"a\":1}", "first\nsecond"), got, "comments with empty data dispatch nothing");
        assertEquals(8, r.lastId(), "an event cut off by a lost connection is not counted as seen");
    }
}
