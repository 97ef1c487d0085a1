package dev.orchestrator.runtime.docker;

import com.github.dockerjava.api.model.Event;
import dev.orchestrator.api.spi.RuntimeEvent;

/** Feeds one docker-java event stream into an {@link EventSubscription.Sink}. */
final class EventCallback extends StreamCallback<Event> {
    private final EventSubscription.Sink sink;

    /** @param sink where the stream's events go */
    EventCallback(EventSubscription.Sink sink) {
        this.sink = sink;
    }

    @Override
    void started() {
        sink.connected();
    }

    @Override
    public void onNext(Event event) {
        RuntimeEvent mapped = DockerMapping.event(event);
        if (mapped != null) {
            sink.event(mapped);
        }
    }

    @Override
    void ended(Throwable failure) {
        sink.ended(failure);
    }
}
