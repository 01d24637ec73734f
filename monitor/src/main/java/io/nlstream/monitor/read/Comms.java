package io.nlstream.monitor.read;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Process command names, interned: an owner is stored as one long (pid and the comm's number), and a host
 * has few distinct names.
 */
final class Comms
{
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    Comms()
    {
        id("");
    }

    int id(final String comm)
    {
        final Integer id = ids.get(comm);
        if (id != null)
        {
            return id;
        }
        final int next = names.size();
        ids.put(comm, next);
        names.add(comm);
        return next;
    }

    String name(final int id)
    {
        return id >= 0 && id < names.size() ? names.get(id) : "";
    }

    int size()
    {
        return names.size();
    }

    static long owner(final int pid, final int commId)
    {
        return (long)pid << 32 | commId & 0xFFFFFFFFL;
    }

    static int pid(final long owner)
    {
        return (int)(owner >>> 32);
    }

    static int commId(final long owner)
    {
        return (int)owner;
    }
}
