package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.AttributePolicy;
import io.nlstream.netlink.Walked;

import static io.nlstream.netlink.rtnl.IfAddr.*;

/**
 * The IFA_* attributes after struct ifaddrmsg: for AF_INET and AF_INET6 the address attributes are exactly the
 * family's address length (ifa_family); other families (MCTP, Phonet) have addresses of any length.
 * {@link AddrDecoder} reads them through the walks generated from these (AddrWalk).
 */
@Walked
final class AddrPolicies
{
    static final String ERR_ADDRESS_LENGTH = "address length does not match ifa_family";
    static final String ERR_CACHEINFO_LENGTH = "IFA_CACHEINFO payload is not struct ifa_cacheinfo (16 bytes)";

    static final AttributePolicy TOP = AttributePolicy.level("IFA_*")
        .address(ERR_ADDRESS_LENGTH, IFA_ADDRESS, IFA_LOCAL, IFA_BROADCAST, IFA_ANYCAST, IFA_MULTICAST)
        .nulString(IFA_LABEL)
        .exact(IFA_CACHEINFO, IFA_CACHEINFO_LEN, ERR_CACHEINFO_LENGTH)
        .u32(IFA_FLAGS, IFA_RT_PRIORITY, IFA_TARGET_NETNSID)
        .u8(IFA_PROTO)
        .build();

    private AddrPolicies()
    {
    }
}
