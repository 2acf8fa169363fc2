using HaInfra.Operations.Failover;

namespace HaInfra.Operations.Local;

/// <summary>
/// The local target's fence for an old primary that stopped answering: its mariadbd (ours, by the PID in its pid
/// file and its command line) is killed, as a cloud fence stops the instance, so a hung or cut-off server can never
/// resume writing. What it wrote alone is rewound when it rejoins.
/// </summary>
public sealed class LocalFence(LocalPaths paths) : IHostFence
{
    public async Task<string> FenceAsync(string host, CancellationToken ct)
    {
        var server = paths.Host(host);
        if (ProcessControl.ReadPid(server.PidFile) is not { } pid || !ProcessControl.IsAlive(pid) || !ProcessControl.IsOurs(pid, server.LocalCnf))
        {
            return $"{host}: no process left to stop";
        }

        ProcessControl.KillHard(pid);
        while (ProcessControl.IsAlive(pid))
        {
            await Task.Delay(5, ct);
        }

        return $"{host}: process {pid} killed";
    }
}
