package io.nlstream.monitor.state;

import io.nlstream.monitor.events.EventDecoder;
import io.nlstream.sinks.Event;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What iproute2 derives from other objects when it prints a link: {@code M-DOWN} in the flags of a link
 * whose lower/peer device (IFLA_LINK, same namespace) is not up. It depends on another link's state, so it
 * is computed when objects are printed, not stored with the event.
 */
public final class LinkView
{
    private LinkView()
    {
    }

    public static List<Event> withDerivedFlags(final Collection<Event> objects)
    {
        final Map<String, Event> links = new HashMap<>();
        for (final Event e : objects)
        {
            if (EventDecoder.KIND_LINK.equals(e.kind()))
            {
                links.put(e.netns() + "/" + e.get("ifindex"), e);
            }
        }
        final List<Event> out = new ArrayList<>(objects.size());
        for (final Event e : objects)
        {
            out.add(EventDecoder.KIND_LINK.equals(e.kind()) && lowerIsDown(e, links) ? withMasterDown(e) : e);
        }
        return out;
    }

    private static boolean lowerIsDown(final Event link, final Map<String, Event> links)
    {
        if (link.get("link") == null || link.get("link_netnsid") != null)
        {
            return false;
        }
        final Event lower = links.get(link.netns() + "/" + link.get("link"));
        return lower == null || !(lower.get("flags") instanceof List) || !((List<?>)lower.get("flags")).contains("UP");
    }

    private static Event withMasterDown(final Event link)
    {
        final Event copy = new Event(link.seq(), link.tsNanos(), link.kind(), link.op(), link.netns());
        for (final Map.Entry<String, Object> f : link.fields().entrySet())
        {
            if ("flags".equals(f.getKey()) && f.getValue() instanceof List)
            {
                final List<Object> flags = new ArrayList<>((List<?>)f.getValue());
                flags.add("M-DOWN");
                copy.put("flags", flags);
            }
            else
            {
                copy.put(f.getKey(), f.getValue());
            }
        }
        return copy;
    }
}
