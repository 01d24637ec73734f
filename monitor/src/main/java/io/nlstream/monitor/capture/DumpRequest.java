package io.nlstream.monitor.capture;

import io.nlstream.netlink.Netlink;

import java.nio.ByteBuffer;

/**
 * A dump the capture asks the kernel for. Its request message is journalled as the dump-begin entry, so
 * readers know what the dump covers.
 */
public interface DumpRequest
{
    String name();

    /** Writes the request at offset 0 of {@code buffer}; returns its length. */
    int encode(ByteBuffer buffer, int seq, int portId);

    /**
     * A request of {@code type} whose family header (after nlmsghdr) is all zero but for its first byte,
     * the address family: enough for rtnetlink and ctnetlink dumps.
     */
    static DumpRequest withFamilyHeader(final String name, final int type, final int familyHeaderLength, final int family)
    {
        return new DumpRequest()
        {
            @Override
            public String name()
            {
                return name;
            }

            @Override
            public int encode(final ByteBuffer buffer, final int seq, final int portId)
            {
                final int length = Netlink.NLMSG_HDRLEN + familyHeaderLength;
                header(buffer, length, type, seq, portId);
                for (int i = Netlink.NLMSG_HDRLEN; i < Netlink.nlmsgAlign(length); i++)
                {
                    buffer.put(i, (byte)0);
                }
                if (familyHeaderLength > 0)
                {
                    buffer.put(Netlink.NLMSG_HDRLEN, (byte)family);
                }
                return length;
            }

            @Override
            public String toString()
            {
                return name;
            }
        };
    }

    /** Writes a dump request's nlmsghdr at offset 0. */
    static void header(final ByteBuffer buffer, final int length, final int type, final int seq, final int portId)
    {
        buffer.putInt(Netlink.NLMSG_LENGTH_OFFSET, length);
        buffer.putShort(Netlink.NLMSG_TYPE_OFFSET, (short)type);
        buffer.putShort(Netlink.NLMSG_FLAGS_OFFSET, (short)(Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP));
        buffer.putInt(Netlink.NLMSG_SEQ_OFFSET, seq);
        buffer.putInt(Netlink.NLMSG_PID_OFFSET, portId);
    }
}
