package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.AttributePolicy;
import io.nlstream.netlink.Walked;

import static io.nlstream.netlink.rtnl.IfAddr.*;

/**
 * The IFA_* attributes after struct ifaddrmsg, one policy per ifa_family: for AF_INET and AF_INET6 the address
 * attributes are exactly the family's address length; other families (MCTP, Phonet) have addresses of any length.
 * {@link AddrDecoder} reads them through the walks generated from these (AddrWalk).
 */
@Walked
final class AddrPolicies
{
    static final String ERR_ADDRESS_LENGTH = "address length does not match ifa_family";
    static final String ERR_CACHEINFO_LENGTH = "IFA_CACHEINFO payload is not struct ifa_cacheinfo (16 bytes)";

    static final AttributePolicy INET = policy("IFA_* (AF_INET)", 4);
    static final AttributePolicy INET6 = policy("IFA_* (AF_INET6)", 16);
    static final AttributePolicy OTHER = policy("IFA_*", -1);

    private AddrPolicies()
    {
    }

    private static AttributePolicy policy(final String name, final int addressBytes)
    {
        final AttributePolicy.Builder b = AttributePolicy.level(name)
            .nulString(IFA_LABEL)
            .exact(IFA_CACHEINFO, IFA_CACHEINFO_LEN, ERR_CACHEINFO_LENGTH)
            .u32(IFA_FLAGS, IFA_RT_PRIORITY, IFA_TARGET_NETNSID)
            .u8(IFA_PROTO);
        for (final int type : new int[] {IFA_ADDRESS, IFA_LOCAL, IFA_BROADCAST, IFA_ANYCAST, IFA_MULTICAST})
        {
            if (addressBytes >= 0)
            {
                b.exact(type, addressBytes, ERR_ADDRESS_LENGTH);
            }
            else
            {
                b.any(type);
            }
        }
        return b.build();
    }
}
