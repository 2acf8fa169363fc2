using HaInfra.Operations;
using HaInfra.Operations.Processes;

namespace HaInfra.Cli.Planning;

/// <summary>
/// The base of a plan as a checkout with its own build: `--base REF` becomes a git worktree of that commit under
/// .build/plan/&lt;sha&gt; (kept, so the next plan against the same base costs no build; the three most recent are
/// kept), `--base-dir DIR` is used as it is. Its own ./hainfra renders and synthesizes the base side, so a change under
/// templates/ or infra/ shows up as a change.
/// </summary>
public sealed record BaseCheckout(string Root, string Label)
{
    private const int KeptWorktrees = 3;

    public static async Task<BaseCheckout> FromRefAsync(string repoRoot, string reference, CancellationToken ct)
    {
        var resolved = await ProcessRunner.RunAsync("git", ["-C", repoRoot, "rev-parse", "--verify", "--quiet", $"{reference}^{{commit}}"], ct);
        if (resolved.ExitCode != 0)
        {
            throw new InvalidInputException(
                $"error: --base {reference}: not a commit of the repository at {repoRoot}.\n  fix: give a branch, tag or commit that git knows (e.g. HEAD~1, origin/main; fetch it first), or --base-dir with a checkout of the base.");
        }

        var sha = resolved.Stdout.Trim();
        var plans = Path.Combine(repoRoot, ".build", "plan");
        var dir = Path.Combine(plans, sha[..12]);
        if (!File.Exists(Path.Combine(dir, "hainfra")))
        {
            Directory.CreateDirectory(plans);
            await ProcessRunner.RunAsync("git", ["-C", repoRoot, "worktree", "prune"], ct);
            var added = await ProcessRunner.RunAsync("git", ["-C", repoRoot, "worktree", "add", "--detach", "--force", dir, sha], ct);
            if (added.ExitCode != 0)
            {
                throw new OperationFailedException($"could not check out {reference} ({sha[..12]}) into {dir}: {added.StderrTail(3)}",
                    "remove that directory (git worktree remove --force DIR) and plan again.");
            }
        }

        Directory.SetLastWriteTimeUtc(dir, DateTime.UtcNow);
        await ForgetOldAsync(repoRoot, plans, dir, ct);
        return new BaseCheckout(dir, $"base {reference} ({sha[..7]})");
    }

    public static BaseCheckout FromDirectory(string dir)
    {
        var full = Path.GetFullPath(dir);
        if (!File.Exists(Path.Combine(full, "hainfra")) || !Directory.Exists(Path.Combine(full, "stacks")))
        {
            throw new InvalidInputException(
                $"error: --base-dir {dir}: not a HaInfra checkout (no ./hainfra and stacks/ there).\n  fix: give the root of a checkout of the base revision.");
        }

        return new BaseCheckout(full, $"base {full}");
    }

    public string StacksDir => Path.Combine(Root, "stacks");

    /// <summary>Runs the base's own CLI (building it the first time: about a minute, logged on stderr).</summary>
    public async Task<ProcessResult> RunAsync(IEnumerable<string> args, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(Root, ".build", "cli", "hainfra")))
        {
            Console.Error.WriteLine($"hainfra plan: building the base's own CLI in {Root} (once per base; about a minute) ...");
        }

        // The base must not see this run's Pulumi or build-check variables: it synthesizes from --stack, and checks its own build.
        return await ProcessRunner.RunAsync(Path.Combine(Root, "hainfra"), args, ct,
        [
            new("HAINFRA_ROOT", Root), new("HAINFRA_BUILD_CHECKED", null), new("PULUMI_STACK", null), new("PULUMI_CONFIG", null),
            new("PULUMI_CONFIG_SECRET_KEYS", null), new("PULUMI_PROJECT", null),
        ]);
    }

    /// <summary>Removes plan worktrees beyond the most recent few: they are caches of a commit, rebuilt on demand.</summary>
    private static async Task ForgetOldAsync(string repoRoot, string plans, string current, CancellationToken ct)
    {
        var old = new DirectoryInfo(plans).GetDirectories()
            .Where(d => d.FullName != current)
            .OrderByDescending(d => d.LastWriteTimeUtc)
            .Skip(KeptWorktrees - 1);
        foreach (var dir in old)
        {
            await ProcessRunner.RunAsync("git", ["-C", repoRoot, "worktree", "remove", "--force", dir.FullName], ct);
        }
    }
}
