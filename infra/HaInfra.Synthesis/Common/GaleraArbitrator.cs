using System.Net;
using HaInfra.Model;

namespace HaInfra.Synthesis.Common;

/// <summary>
/// hainfra:replication.arbitrator in a cloud program: garbd runs on a machine the user provides, and the nodes' Galera
/// group communication port (4567, all garbd uses) is opened to it by address, since a security group or network
/// security group cannot name a host.
/// </summary>
internal static class GaleraArbitrator
{
    /// <summary>The arbitrator as a /32 prefix; null when the stack declares none.</summary>
    public static string? Prefix(Topology topology) =>
        topology.Replication.Arbitrator is { } arbitrator && IPAddress.TryParse(arbitrator, out var address) ? $"{address}/32" : null;

    /// <summary>Why the stack's arbitrator cannot be admitted, for the synthesizers' input problems; empty when it can.</summary>
    public static IReadOnlyList<string> Problems(Topology topology) =>
        topology.Replication.Arbitrator is { } arbitrator && !IPAddress.TryParse(arbitrator, out _)
            ? [$"hainfra:replication.arbitrator = {arbitrator}: the {Spellings.Cloud.Of(topology.Cloud)} program lets the arbitrator reach the nodes' Galera port (4567) by its address, and a firewall rule cannot name a host. Fix: give the garbd machine's IP address (e.g. 10.0.9.4)."]
            : [];
}
