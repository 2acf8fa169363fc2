namespace HaInfra.Tests.Shared;

/// <summary>
/// Golden-file checks for generated text. A mismatch fails with the first differing line; run the tests with
/// HAINFRA_ACCEPT=1 to write the current output as the new expectation, then review it in the diff.
/// </summary>
internal static class Golden
{
    public static void Check(string goldenRelativePath, string actual)
    {
        var path = System.IO.Path.Combine(RepoRoot.TestsDir, "golden", goldenRelativePath);
        if (Environment.GetEnvironmentVariable("HAINFRA_ACCEPT") == "1")
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"no golden file tests/golden/{goldenRelativePath}; run HAINFRA_ACCEPT=1 scripts/test, then review and commit it");
        var expected = File.ReadAllText(path);
        if (expected == actual)
        {
            return;
        }

        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var line = Enumerable.Range(0, Math.Max(expectedLines.Length, actualLines.Length))
            .First(i => i >= expectedLines.Length || i >= actualLines.Length || expectedLines[i] != actualLines[i]);
        Assert.Fail($"tests/golden/{goldenRelativePath} differs at line {line + 1}:\n" +
            $"  expected: {(line < expectedLines.Length ? expectedLines[line] : "(end of file)")}\n" +
            $"  actual:   {(line < actualLines.Length ? actualLines[line] : "(end of file)")}\n" +
            "If the change is intended, run HAINFRA_ACCEPT=1 scripts/test and review the diff.");
    }
}
