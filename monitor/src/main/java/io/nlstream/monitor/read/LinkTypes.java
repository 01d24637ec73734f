package io.nlstream.monitor.read;

/**
 * ifi_type (ARPHRD_* from linux/if_arp.h) as {@code ip -j link} prints it in "link_type".
 */
final class LinkTypes
{
    private LinkTypes()
    {
    }

    static String name(final int arphrd)
    {
        switch (arphrd)
        {
            case 1:
                return "ether";
            case 24:
                return "ieee1394";
            case 32:
                return "infiniband";
            case 512:
                return "ppp";
            case 768:
                return "ipip";
            case 769:
                return "tunnel6";
            case 772:
                return "loopback";
            case 776:
                return "sit";
            case 778:
                return "gre";
            case 823:
                return "ip6gre";
            case 65534:
                return "none";
            case 65535:
                return "void";
            default:
                return "[" + arphrd + "]";
        }
    }
}
