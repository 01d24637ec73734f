package io.nlstream.monitor.read;

import io.nlstream.sinks.Name;

/**
 * The ops events carry, and the origins.
 */
final class Ops
{
    static final Name NEW = Name.of("new");
    static final Name DEL = Name.of("del");
    static final Name UPDATE = Name.of("update");
    static final Name DESTROY = Name.of("destroy");
    static final Name OVERRUN = Name.of("overrun");

    static final Name EVENT = Name.of("event");
    static final Name DUMP = Name.of("dump");
    static final Name RESYNC = Name.of("resync");

    private Ops()
    {
    }

    static boolean isEnd(final Name op)
    {
        return op == DEL || op == DESTROY;
    }

    static Name of(final String text)
    {
        switch (text)
        {
            case "new":
                return NEW;
            case "del":
                return DEL;
            case "update":
                return UPDATE;
            case "destroy":
                return DESTROY;
            case "overrun":
                return OVERRUN;
            default:
                throw new IllegalArgumentException("unknown op '" + text + "'");
        }
    }
}
