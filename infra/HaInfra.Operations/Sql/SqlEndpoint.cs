namespace HaInfra.Operations.Sql;

/// <summary>How to reach a server as an administrator: a unix socket (local target) or TCP (cloud hosts).</summary>
/// <param name="CaFile">For TCP: verify the server certificate against this CA (PEM) instead of only requiring TLS.</param>
public sealed record SqlEndpoint(string Name, string User, Secret? Password, string? Socket, string? Host, int Port, bool RequireTls, string? CaFile = null)
{
    public static SqlEndpoint UnixSocket(string name, string socket, string user = "root") =>
        new(name, user, null, socket, null, 0, false);

    public static SqlEndpoint Tcp(string name, string host, int port, string user, Secret password, bool requireTls, string? caFile = null) =>
        new(name, user, password, null, host, port, requireTls, caFile);

    public override string ToString() => Socket is not null ? $"{Name} ({User}@{Socket})" : $"{Name} ({User}@{Host}:{Port})";
}
