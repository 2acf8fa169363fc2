using System.Text.RegularExpressions;
using HaInfra.Model;
using HaInfra.Rendering;
using HaInfra.Synthesis.Aws;
using HaInfra.Synthesis.Document;
using HaInfra.Tests.Shared;

namespace HaInfra.IntegrationTests;

/// <summary>
/// The S3 permissions a host's role gets in the synthesized AWS program, on the primary backup bucket, read from the
/// program tree itself (what `pulumi up` would deploy), and an IAM-style check of one request against them.
/// Object resources are kept as key patterns ("full/db2/*"); the bucket itself as "".
/// </summary>
public sealed class HostStoragePolicy
{
    private const string BucketArn = "${backup_bucket.arn}";

    private readonly IReadOnlyList<(IReadOnlyList<string> Actions, IReadOnlyList<string> Keys, IReadOnlyList<string>? Prefixes)> _allows;

    private HostStoragePolicy(IReadOnlyList<(IReadOnlyList<string>, IReadOnlyList<string>, IReadOnlyList<string>?)> allows) => _allows = allows;

    public static HostStoragePolicy Of(Topology topology, string host)
    {
        var tree = new AwsSynthesizer(new TemplateRenderer(TemplateCatalog.Load(RepoRoot.Templates)),
            new Rendering.Monitoring.AlertThresholds([], Rendering.Monitoring.AlertThresholds.DefaultVerifyMaxAge, Rendering.Monitoring.AlertThresholds.CloudDataMountpoint))
            .Synthesize(topology).ToDocument("hainfra", "test").ToTree();
        var resource = ((PMap)tree["resources"]!).Entries.Select(e => (PMap)e.Value)
            .Single(r => Text(r["type"]) == "aws:iam:RolePolicy" && Text(((PMap)r["properties"]!)["role"]).StartsWith($"${{{host}_", StringComparison.Ordinal));
        var document = (PMap)((PFunction)((PMap)resource["properties"]!)["policy"]!).Argument;
        var allows = new List<(IReadOnlyList<string>, IReadOnlyList<string>, IReadOnlyList<string>?)>();
        foreach (var statement in ((PList)document["Statement"]!).Items.Cast<PMap>())
        {
            var resources = Texts(statement["Resource"]).Where(r => r.StartsWith(BucketArn, StringComparison.Ordinal)).ToList();
            if (Text(statement["Effect"]) != "Allow" || resources.Count == 0)
            {
                continue;
            }

            var prefixes = statement["Condition"] is PMap condition && condition["StringLike"] is PMap like ? Texts(like["s3:prefix"]) : null;
            allows.Add((Texts(statement["Action"]), [.. resources.Select(r => r[BucketArn.Length..].TrimStart('/'))], prefixes));
        }

        return new HostStoragePolicy(allows);
    }

    /// <summary>Why <paramref name="request"/> would be refused, or null when some statement allows it.</summary>
    public string? Refusal(S3Request request)
    {
        var allowed = _allows.Any(a => a.Actions.Contains(request.Action)
            && a.Keys.Any(k => Glob(k, request.Key))
            && (a.Prefixes is null || (request.Prefix is { } p && a.Prefixes.Any(pattern => Glob(pattern, p)))));
        return allowed ? null : $"{request.Line} needs {request.Action} on '{request.Key}'{(request.Prefix is { } prefix ? $" with prefix '{prefix}'" : "")}";
    }

    private static bool Glob(string pattern, string value) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$");

    private static string Text(PValue? value) => value switch
    {
        PText t => t.Value,
        PRef r => r.ToString(),
        PInterpolation i => string.Concat(i.Parts.Select(Text)),
        _ => "",
    };

    private static IReadOnlyList<string> Texts(PValue? value) => value is PList list ? [.. list.Items.Select(Text)] : value is null ? [] : [Text(value)];
}

/// <summary>One request from the local S3 server's request log ("METHOD /bucket/key?query", path-style), and the IAM action S3 checks for it.</summary>
public sealed record S3Request(string Line, string Method, string Key, IReadOnlyDictionary<string, string> Query)
{
    public static S3Request Parse(string line, string bucket)
    {
        var (method, target) = (line[..line.IndexOf(' ')], line[(line.IndexOf(' ') + 1)..]);
        var (path, query) = target.IndexOf('?') is var q and >= 0 ? (target[..q], target[(q + 1)..]) : (target, "");
        var key = Uri.UnescapeDataString(path.TrimStart('/'));
        key = key == bucket ? "" : key.StartsWith(bucket + "/", StringComparison.Ordinal) ? key[(bucket.Length + 1)..] : throw new FormatException($"not in bucket {bucket}: {line}");
        var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");
        return new S3Request(line, method, key, parameters);
    }

    public string? Prefix => Query.TryGetValue("prefix", out var prefix) ? prefix : null;

    /// <summary>The action S3 authorizes the request as (the S3 API reference's "permissions" of each operation).</summary>
    public string Action => (Method, Key == "", Query.ContainsKey("uploadId"), Query.ContainsKey("uploads")) switch
    {
        ("PUT", true, _, _) => "s3:CreateBucket",
        ("DELETE", true, _, _) => "s3:DeleteBucket",
        ("GET", true, _, true) => "s3:ListBucketMultipartUploads",
        ("GET" or "HEAD", true, _, _) => "s3:ListBucket",
        ("PUT" or "POST", false, _, _) => "s3:PutObject",
        ("DELETE", false, true, _) => "s3:AbortMultipartUpload",
        ("GET", false, true, _) => "s3:ListMultipartUploadParts",
        ("GET" or "HEAD", false, _, _) => "s3:GetObject",
        ("DELETE", false, false, _) => "s3:DeleteObject",
        _ => $"unknown:{Method}",
    };
}
