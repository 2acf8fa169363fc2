using System.Globalization;
using HaInfra.Model;
using HaInfra.Operations.Processes;

namespace HaInfra.Operations.Local;

/// <summary>
/// Per-site network namespaces of the local target (hainfra:local.siteNamespaces): each site's servers run in a
/// namespace of their own with one address, 10.254.N.2, reached from the root namespace (where HAProxy, the monitor
/// and the CLI run, and through which sites reach each other) over a veth pair whose root side is 10.254.N.1. Taking
/// that veth down cuts the site off the way a network partition does: its servers keep running and keep their
/// sessions, but nothing reaches them over TCP. Without the setting every server listens on 127.0.0.1.
/// </summary>
public sealed class LocalNetwork
{
    private const string Prefix = "10.254";
    private const string Ip = "/usr/sbin/ip";

    /// <summary>One file per subnet taken on this machine, holding its owner's state directory: a reservation between the
    /// choice of a subnet and its namespace's creation, when two targets set up at once (tests in parallel, two drills).
    /// Under /run, so a reboot clears them with the namespaces.</summary>
    private const string ReservationDir = "/run/hainfra-subnets";

    private readonly Topology _topology;
    private readonly LocalState _state;
    private readonly string _owner;

    /// <param name="owner">The owning stack's state directory (it exists from the state lock on): whose reservations these are.</param>
    public LocalNetwork(Topology topology, LocalState state, string owner)
    {
        _topology = topology;
        _state = state;
        _owner = owner;
    }

    /// <summary>The local state the addresses come from (it also holds each host's ports).</summary>
    public LocalState State => _state;

    public bool Enabled => _topology.Local.SiteNamespaces;

    /// <summary>Where other servers, the endpoint and the monitor reach <paramref name="host"/>.</summary>
    public string AddressOf(Host host) => Enabled ? $"{Prefix}.{Subnet(host.Site)}.2" : "127.0.0.1";

    public string? NamespaceOf(Host host) => Enabled ? Namespace(Subnet(host.Site)) : null;

    /// <summary>The host part of accounts that replicas, the endpoint and the archive log in with.</summary>
    public string AccountHosts => Enabled ? $"{Prefix}.%" : "127.0.0.1";

    public IReadOnlyList<string> Addresses => Enabled ? [.. _topology.Hosts.Select(AddressOf).Distinct()] : [];

    /// <summary>Gives every site a /30 not used on this machine yet (recorded in the state, so it stays).</summary>
    public void Assign()
    {
        if (!Enabled)
        {
            return;
        }

        var used = _state.SiteSubnets.Values.Concat(SubnetsInUse()).ToHashSet();
        foreach (var site in _topology.Sites.Where(s => !_state.SiteSubnets.ContainsKey(s.Name)))
        {
            var n = Enumerable.Range(1, 250).FirstOrDefault(i => !used.Contains(i) && TryReserve(i));
            if (n == 0)
            {
                throw new OperationFailedException($"no free {Prefix}.N.0/30 subnet is left for site {site.Name}.", "purge stacks you no longer need (local down --purge).");
            }

            _state.SiteSubnets[site.Name] = n;
            used.Add(n);
        }
    }

    /// <summary>Namespaces, veth pairs, addresses and routes in place (idempotent); forwarding on, so sites reach each other.</summary>
    public async Task EnsureAsync(CancellationToken ct)
    {
        if (!Enabled)
        {
            return;
        }

        RequireRoot();
        var namespaces = (await RunAsync(["netns", "list"], ct)).Stdout;
        foreach (var site in _topology.Sites)
        {
            var n = Subnet(site.Name);
            var ns = Namespace(n);
            if (!namespaces.Split('\n').Any(l => l.Split(' ')[0] == ns))
            {
                await MustAsync(["netns", "add", ns], ct);
            }

            if ((await RunAsync(["link", "show", RootSide(n)], ct)).ExitCode != 0)
            {
                await MustAsync(["link", "add", RootSide(n), "type", "veth", "peer", "name", SiteSide(n), "netns", ns], ct);
                await MustAsync(["addr", "add", $"{Prefix}.{n}.1/30", "dev", RootSide(n)], ct);
                await MustAsync(["-n", ns, "addr", "add", $"{Prefix}.{n}.2/30", "dev", SiteSide(n)], ct);
            }

            await MustAsync(["link", "set", RootSide(n), "up"], ct);
            await MustAsync(["-n", ns, "link", "set", SiteSide(n), "up"], ct);
            await MustAsync(["-n", ns, "link", "set", "lo", "up"], ct);
            await MustAsync(["-n", ns, "route", "replace", "default", "via", $"{Prefix}.{n}.1"], ct);
        }

        await File.WriteAllTextAsync("/proc/sys/net/ipv4/ip_forward", "1", ct);
    }

    /// <summary>Cuts <paramref name="site"/> off: its veth goes down, so no packet reaches its servers or leaves them.</summary>
    public Task CutAsync(string site, CancellationToken ct) => MustAsync(["link", "set", RootSide(Subnet(site)), "down"], ct);

    /// <summary>Ends a cut: the veth comes back up (with the site's routes).</summary>
    public async Task HealAsync(string site, CancellationToken ct)
    {
        var n = Subnet(site);
        await MustAsync(["link", "set", RootSide(n), "up"], ct);
        await MustAsync(["-n", Namespace(n), "route", "replace", "default", "via", $"{Prefix}.{n}.1"], ct);
    }

    /// <summary>Deletes the stack's namespaces (their veth pairs go with them).</summary>
    public async Task RemoveAsync(CancellationToken ct)
    {
        foreach (var n in _state.SiteSubnets.Values)
        {
            await RunAsync(["netns", "delete", Namespace(n)], ct);
            if (Owner(n) == _owner)
            {
                File.Delete(Reservation(n));
            }
        }
    }

    /// <summary>Takes subnet <paramref name="n"/> for this stack unless another live stack holds it (created atomically).</summary>
    private bool TryReserve(int n)
    {
        Directory.CreateDirectory(ReservationDir);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using var file = new FileStream(Reservation(n), FileMode.CreateNew, FileAccess.Write);
                file.Write(System.Text.Encoding.UTF8.GetBytes(_owner + "\n"));
                return true;
            }
            catch (IOException) when (File.Exists(Reservation(n)))
            {
                var owner = Owner(n);
                if (owner == _owner)
                {
                    return true;
                }

                // The owner's state is gone (purged, or deleted by hand): the reservation is stale.
                if (owner is { Length: > 0 } && Directory.Exists(owner))
                {
                    return false;
                }

                File.Delete(Reservation(n));
            }
        }

        return false;
    }

    private static string Reservation(int n) => Path.Combine(ReservationDir, n.ToString(CultureInfo.InvariantCulture));

    private static string? Owner(int n) => File.Exists(Reservation(n)) ? File.ReadAllText(Reservation(n)).Trim() : null;

    private int Subnet(string site) => _state.SiteSubnets.TryGetValue(site, out var n)
        ? n
        : throw new InvalidOperationException($"site {site} has no subnet; Assign() first");

    private static string Namespace(int n) => $"hainfra{n.ToString(CultureInfo.InvariantCulture)}";

    private static string RootSide(int n) => $"hfr{n.ToString(CultureInfo.InvariantCulture)}";

    private static string SiteSide(int n) => $"hfn{n.ToString(CultureInfo.InvariantCulture)}";

    private static IEnumerable<int> SubnetsInUse()
    {
        var addresses = ProcessRunner.RunAsync(Ip, ["-o", "-4", "addr", "show"], CancellationToken.None).GetAwaiter().GetResult().Stdout;
        foreach (var word in addresses.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.StartsWith(Prefix + ".", StringComparison.Ordinal)))
        {
            if (int.TryParse(word.Split('.')[2], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                yield return n;
            }
        }
    }

    private static void RequireRoot()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new OperationFailedException(
                "hainfra:local.siteNamespaces needs root: network namespaces and veth pairs are created with ip(8).", "run as root, or leave siteNamespaces off.");
        }
    }

    private static Task<ProcessResult> RunAsync(string[] args, CancellationToken ct) => ProcessRunner.RunAsync(Ip, args, ct);

    private static async Task MustAsync(string[] args, CancellationToken ct)
    {
        var result = await RunAsync(args, ct);
        if (result.ExitCode != 0)
        {
            throw new OperationFailedException($"ip {string.Join(' ', args)} failed: {result.Stderr.Trim()}", "check that this machine allows network namespaces (ip netns) and veth pairs.");
        }
    }
}
