package io.nlstream.netlink.diag;

import io.nlstream.netlink.AttributePolicy;
import io.nlstream.netlink.Walked;

import static io.nlstream.netlink.diag.InetDiag.*;

/**
 * The INET_DIAG_* attributes after struct inet_diag_msg: one level, the same for AF_INET and AF_INET6 (no size here
 * depends on the family). {@link InetDiagDecoder} reads them through the walk generated from it (InetDiagWalk).
 */
@Walked
final class InetDiagPolicies
{
    static final String ERR_MEMINFO_LENGTH = "INET_DIAG_MEMINFO payload is not struct inet_diag_meminfo (16 bytes)";
    static final String ERR_SOCKOPT_LENGTH = "INET_DIAG_SOCKOPT payload is not struct inet_diag_sockopt (2 bytes)";

    static final AttributePolicy TOP = AttributePolicy.level("INET_DIAG_*")
        // no size check: struct tcp_info grows; readers look only inside its length
        .any(INET_DIAG_INFO)
        .nulString(INET_DIAG_CONG)
        .u8(INET_DIAG_SHUTDOWN, INET_DIAG_PROTOCOL, INET_DIAG_TOS, INET_DIAG_TCLASS, INET_DIAG_SKV6ONLY)
        .u32(INET_DIAG_MARK, INET_DIAG_CLASS_ID)
        .u64(INET_DIAG_CGROUP_ID)
        // checked, not read
        .exact(INET_DIAG_MEMINFO, INET_DIAG_MEMINFO_LEN, ERR_MEMINFO_LENGTH)
        .exact(INET_DIAG_SOCKOPT, INET_DIAG_SOCKOPT_LEN, ERR_SOCKOPT_LENGTH)
        // nests whose contents (the ULP's, the BPF maps') are neither read nor walked: only their shape is checked,
        // empty or holding an attribute header
        .checked(null, INET_DIAG_ULP_INFO, INET_DIAG_SK_BPF_STORAGES)
        // SKMEMINFO, VEGAS/DCTCP/BBR info, SCTP addresses, MD5 keys: not read here; newer kernels add more,
        // skipping them keeps this decoder working
        .build();

    private InetDiagPolicies()
    {
    }
}
