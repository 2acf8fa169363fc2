namespace HaInfra.Operations.Sql;

/// <summary>How to reach a server as an administrator: a unix socket (local target) or TCP (cloud hosts).</summary>
public sealed record SqlEndpoint(string Name, string User, Secret? Password, string? Socket, string? Host, int Port, bool RequireTls)
{
    public static SqlEndpoint UnixSocket(string name, string socket, string user = "root") =>
        new(name, user, null, socket, null, 0, false);

    public static SqlEndpoint Tcp(string name, string host, int port, string user, Secret password, bool requireTls) =>
        new(name, user, password, null, host, port, requireTls);

    public override string ToString() => Socket is not null ? $"{Name} ({User}@{Socket})" : $"{Name} ({User}@{Host}:{Port})";
}
