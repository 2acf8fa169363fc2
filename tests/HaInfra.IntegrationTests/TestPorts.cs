using HaInfra.Operations.Local;

namespace HaInfra.IntegrationTests;

/// <summary>Hands each fixture its own block of free loopback ports, so fixtures can run in parallel.</summary>
internal static class TestPorts
{
    private static readonly Lock Gate = new();
    private static int _next = 20000 + (Environment.ProcessId % 300) * 100;

    public static int Reserve(int count)
    {
        lock (Gate)
        {
            while (true)
            {
                var start = _next;
                _next += count + 5;
                if (_next > 60000)
                {
                    _next = 20000;
                }

                if (Enumerable.Range(start, count).All(PortCheck.IsFree))
                {
                    return start;
                }
            }
        }
    }
}
