/*
 * udpstorm: one UDP datagram on each of N distinct flows, as fast as the kernel takes them.
 * Part of the nlstream storm benchmark (bin/storm, bench/README.md). Linux only.
 *
 *   udpstorm [--flows N] [--dst A.B.C.D] [--dport P] [--src-net A.B.0.0] [--sport-base P] [--batch K]
 *   udpstorm --sink PORT      bind 0.0.0.0:PORT (UDP) and sleep without reading (no ICMP unreachable)
 *
 * Flows go out of a raw socket with IP_HDRINCL, K datagrams per sendmmsg(2) call. Flow i has the source
 * address SRC_NET + 1 + (i % 65534) (10.240.0.1 .. 10.240.255.254 by default) and the source port
 * SPORT_BASE + i / 65534, so the first 65534 * (65536 - SPORT_BASE) flows are distinct 5-tuples and the
 * source addresses spread over conntrack's hash table. The source addresses need not be configured
 * anywhere: the sending namespace must only route DST (the receiving one routes SRC_NET/16 back).
 *
 * IP_RECVERR is set so that a datagram the device drops (a full backlog) comes back as ENOBUFS instead of
 * being dropped silently; it is then sent again, so "flows" counts datagrams the kernel accepted and
 * "enobufs" how often it pushed back. The kernel fills in the IP checksum, total length and id; the UDP
 * checksum is 0 (none, allowed for IPv4).
 *
 * Output, one line on stdout:  flows=N elapsed=SECONDS rate=FLOWS_PER_S enobufs=N errors=N calls=N
 * (errors: other failed sends, such as an ICMP error reported through IP_RECVERR; also sent again)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HOSTS_PER_NET 65534u
#define MAX_BATCH 1024u /* UIO_MAXIOV */
#define PAYLOAD 4u
#define PACKET (sizeof(struct iphdr) + sizeof(struct udphdr) + PAYLOAD)

static void usage(void)
{
    fprintf(stderr,
        "usage: udpstorm [--flows N] [--dst A.B.C.D] [--dport P] [--src-net A.B.0.0] [--sport-base P] [--batch K]\n"
        "       udpstorm --sink PORT\n");
    exit(2);
}

static unsigned long parse_ulong(const char *s, unsigned long min, unsigned long max, const char *what)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *s == '\0' || *end != '\0' || v < min || v > max)
    {
        fprintf(stderr, "udpstorm: %s must be a number in %lu..%lu: %s\n", what, min, max, s);
        exit(2);
    }
    return v;
}

static uint32_t parse_addr(const char *s, const char *what)
{
    struct in_addr a;
    if (inet_pton(AF_INET, s, &a) != 1)
    {
        fprintf(stderr, "udpstorm: %s is not an IPv4 address: %s\n", what, s);
        exit(2);
    }
    return ntohl(a.s_addr);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int sink(unsigned port)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0)
    {
        perror("udpstorm: socket");
        return 1;
    }
    int small = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr = {htonl(INADDR_ANY)}};
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
    {
        perror("udpstorm: bind");
        return 1;
    }
    printf("sink port=%u\n", port);
    fflush(stdout);
    for (;;)
    {
        pause(); /* never read: the queue fills and the rest is dropped after conntrack has seen it */
    }
}

int main(int argc, char **argv)
{
    unsigned long flows = 200000;
    uint32_t dst = parse_addr("10.239.0.2", "--dst");
    unsigned long dport = 9;
    uint32_t src_net = parse_addr("10.240.0.0", "--src-net");
    unsigned long sport_base = 1024;
    unsigned long batch = MAX_BATCH;

    for (int i = 1; i < argc; i++)
    {
        const char *opt = argv[i];
        if (i + 1 >= argc)
        {
            usage();
        }
        const char *val = argv[++i];
        if (!strcmp(opt, "--flows"))
        {
            flows = parse_ulong(val, 1, 4000000000ul, "--flows");
        }
        else if (!strcmp(opt, "--dst"))
        {
            dst = parse_addr(val, "--dst");
        }
        else if (!strcmp(opt, "--dport"))
        {
            dport = parse_ulong(val, 1, 65535, "--dport");
        }
        else if (!strcmp(opt, "--src-net"))
        {
            src_net = parse_addr(val, "--src-net") & 0xffff0000u;
        }
        else if (!strcmp(opt, "--sport-base"))
        {
            sport_base = parse_ulong(val, 1, 65535, "--sport-base");
        }
        else if (!strcmp(opt, "--batch"))
        {
            batch = parse_ulong(val, 1, MAX_BATCH, "--batch");
        }
        else if (!strcmp(opt, "--sink"))
        {
            return sink((unsigned)parse_ulong(val, 1, 65535, "--sink"));
        }
        else
        {
            usage();
        }
    }
    if ((flows - 1) / HOSTS_PER_NET + sport_base > 65535)
    {
        fprintf(stderr, "udpstorm: %lu flows need source ports beyond 65535 from --sport-base %lu\n", flows, sport_base);
        return 2;
    }

    int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW); /* IPPROTO_RAW implies IP_HDRINCL */
    if (fd < 0)
    {
        perror("udpstorm: socket(AF_INET, SOCK_RAW) (needs CAP_NET_RAW)");
        return 1;
    }
    int one = 1;
    if (setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof one) < 0 || setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof one) < 0)
    {
        perror("udpstorm: setsockopt IP_HDRINCL/IP_RECVERR");
        return 1;
    }
    int sndbuf = 64 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf) < 0)
    {
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    }

    static unsigned char packets[MAX_BATCH][PACKET];
    static struct iovec iov[MAX_BATCH];
    static struct mmsghdr msgs[MAX_BATCH];
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr = {htonl(dst)}};
    for (unsigned k = 0; k < MAX_BATCH; k++)
    {
        struct iphdr *ip = (struct iphdr *)packets[k];
        struct udphdr *udp = (struct udphdr *)(packets[k] + sizeof *ip);
        memset(packets[k], 0, PACKET);
        ip->version = 4;
        ip->ihl = sizeof *ip / 4;
        ip->tot_len = htons(PACKET);
        ip->ttl = 64;
        ip->protocol = IPPROTO_UDP;
        ip->daddr = htonl(dst);
        udp->dest = htons((uint16_t)dport);
        udp->len = htons(sizeof *udp + PAYLOAD);
        memcpy(packets[k] + sizeof *ip + sizeof *udp, "nls!", PAYLOAD);
        iov[k].iov_base = packets[k];
        iov[k].iov_len = PACKET;
        msgs[k].msg_hdr.msg_name = &to;
        msgs[k].msg_hdr.msg_namelen = sizeof to;
        msgs[k].msg_hdr.msg_iov = &iov[k];
        msgs[k].msg_hdr.msg_iovlen = 1;
    }

    signal(SIGPIPE, SIG_IGN);
    unsigned long sent = 0, enobufs = 0, errors = 0, calls = 0;
    const double start = now();
    while (sent < flows)
    {
        const unsigned n = (unsigned)(flows - sent < batch ? flows - sent : batch);
        for (unsigned k = 0; k < n; k++)
        {
            const unsigned long i = sent + k;
            struct iphdr *ip = (struct iphdr *)packets[k];
            struct udphdr *udp = (struct udphdr *)(packets[k] + sizeof *ip);
            ip->saddr = htonl(src_net + 1 + (uint32_t)(i % HOSTS_PER_NET));
            ip->check = 0;
            ip->id = 0;
            udp->source = htons((uint16_t)(sport_base + i / HOSTS_PER_NET));
        }
        unsigned done = 0;
        while (done < n)
        {
            calls++;
            const int r = sendmmsg(fd, msgs + done, n - done, 0);
            if (r > 0)
            {
                done += (unsigned)r;
            }
            else if (r < 0 && errno == ENOBUFS)
            {
                enobufs++; /* the device dropped it: send the same datagram again */
                sched_yield();
            }
            else if (r < 0 && errno != EINTR && errno != EAGAIN)
            {
                /* an ICMP error queued by IP_RECVERR is returned (once) by the next send: count it, send again */
                if (++errors > 1000 || errno == EBADF || errno == EFAULT || errno == EINVAL || errno == EPERM
                    || errno == EACCES || errno == EMSGSIZE)
                {
                    fprintf(stderr, "udpstorm: sendmmsg after %lu flows: %s\n", sent + done, strerror(errno));
                    printf("flows=%lu elapsed=%.6f rate=0 enobufs=%lu errors=%lu calls=%lu\n", sent + done, now() - start,
                        enobufs, errors, calls);
                    return 1;
                }
            }
        }
        sent += n;
    }
    const double elapsed = now() - start;
    printf("flows=%lu elapsed=%.6f rate=%.0f enobufs=%lu errors=%lu calls=%lu\n", sent, elapsed, (double)sent / elapsed, enobufs,
        errors, calls);
    return 0;
}
