using HaInfra.Operations.Local;

namespace HaInfra.Cli;

/// <summary>How the CLI starts one of its own verbs as a background process: the same program that is running now.</summary>
public static class SelfCommand
{
    /// <summary>
    /// The native build (what ./hainfra runs) is the program itself. Under `dotnet hainfra.dll` (the tests' build) the
    /// host is dotnet and the dll beside this assembly comes first.
    /// </summary>
    public static AgentCommand For(params string[] args)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the running program's path is unknown; cannot start a verb of it in the background");
        return Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? new AgentCommand(host, [Path.Combine(AppContext.BaseDirectory, "hainfra.dll"), .. args])
            : new AgentCommand(host, args);
    }
}
