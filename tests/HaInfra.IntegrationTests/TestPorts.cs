using HaInfra.Operations.Local;

namespace HaInfra.IntegrationTests;

/// <summary>
/// Hands each fixture its own block of free loopback ports, so fixtures can run in parallel. The blocks lie between
/// 14000 and 29000: below Linux's ephemeral range (32768-60999), where any client connection may take a port between
/// the check and the server's start (a fixture's server once failed to bind 44334 so), and below the benches' ports.
/// </summary>
internal static class TestPorts
{
    private const int First = 14000;
    private const int Last = 29000;
    private static readonly Lock Gate = new();
    private static int _next = First + (Environment.ProcessId % 140) * 100;

    public static int Reserve(int count)
    {
        lock (Gate)
        {
            while (true)
            {
                var start = _next;
                if (start + count > Last)
                {
                    _next = First;
                    continue;
                }

                _next = start + count + 5;

                if (Enumerable.Range(start, count).All(PortCheck.IsFree))
                {
                    return start;
                }
            }
        }
    }
}
