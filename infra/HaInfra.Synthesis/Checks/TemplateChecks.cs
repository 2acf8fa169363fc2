using System.Text.RegularExpressions;
using HaInfra.Synthesis.Document;
using HaInfra.Synthesis.Writing;

namespace HaInfra.Synthesis.Checks;

/// <summary>
/// Checks a program before it is printed (ARCHITECTURE.md §2): known top-level, resource and option keys, known
/// functions, every reference resolvable, an explicit pinned provider for every resource and invoke, credentials
/// only by reference, and no secret value anywhere in the text. Returns every problem found.
/// </summary>
public static partial class TemplateChecks
{
    public static IReadOnlyList<string> Check(PMap tree, IReadOnlyCollection<string> secretValues)
    {
        var problems = new List<string>();
        foreach (var (key, _) in tree.Entries.Where(e => !PulumiYamlSchema.TopLevel.Contains(e.Key)))
        {
            problems.Add($"top-level key '{key}' is not part of Pulumi YAML (it would be ignored silently)");
        }

        var resources = tree["resources"] as PMap ?? PMap.Empty;
        var variables = tree["variables"] as PMap ?? PMap.Empty;
        var config = tree["config"] as PMap ?? PMap.Empty;
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in resources.Entries)
        {
            if (value is PMap { } r && r["type"] is PText type)
            {
                types[name] = type.Value;
            }
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (section, map) in new[] { ("resource", resources), ("variable", variables), ("config value", config) })
        {
            foreach (var (name, _) in map.Entries)
            {
                if (!names.TryAdd(name, section))
                {
                    problems.Add($"'{name}' is both a {names[name]} and a {section}");
                }
            }
        }

        CheckConfig(config, problems);
        foreach (var (name, value) in resources.Entries)
        {
            CheckResource(name, value, types, problems);
        }

        Walk(tree, (path, value) => CheckValue(path, value, names, types, problems));
        CheckSecrets(tree, secretValues, problems);
        return problems;
    }

    private static void CheckConfig(PMap config, List<string> problems)
    {
        foreach (var (name, value) in config.Entries)
        {
            if (value is not PMap param)
            {
                problems.Add($"config.{name}: must be a map with type (and secret)");
                continue;
            }

            foreach (var (key, _) in param.Entries.Where(e => !PulumiYamlSchema.ConfigKeys.Contains(e.Key)))
            {
                problems.Add($"config.{name}.{key}: not a config declaration key");
            }
        }
    }

    private static void CheckResource(string name, PValue value, Dictionary<string, string> types, List<string> problems)
    {
        var at = $"resources.{name}";
        if (value is not PMap resource)
        {
            problems.Add($"{at}: a resource must be a map");
            return;
        }

        foreach (var (key, _) in resource.Entries.Where(e => !PulumiYamlSchema.ResourceKeys.Contains(e.Key)))
        {
            problems.Add($"{at}.{key}: not a resource key (Pulumi would only warn and drop it)");
        }

        if (resource["type"] is not PText { Value: var type } || !TypeToken().IsMatch(type))
        {
            problems.Add($"{at}.type: missing or not a type token like aws:ec2:Instance");
            return;
        }

        var options = resource["options"] as PMap ?? PMap.Empty;
        foreach (var (key, _) in options.Entries.Where(e => !PulumiYamlSchema.ResourceOptions.Contains(e.Key)))
        {
            problems.Add($"{at}.options.{key}: not a resource option");
        }

        var package = Resource.PackageOf(type);
        if (type.StartsWith("pulumi:providers:", StringComparison.Ordinal))
        {
            CheckPinned($"{at}.options.version", package, options["version"], problems);
        }
        else
        {
            CheckProvider($"{at}.options.provider", package, options["provider"], types, problems);
        }

        if (options["dependsOn"] is { } dependsOn)
        {
            var items = dependsOn is PList list ? list.Items : [dependsOn];
            foreach (var item in items.Where(i => i is not PRef { Path: null } r || !types.ContainsKey(r.Root)))
            {
                problems.Add($"{at}.options.dependsOn: '{Describe(item)}' is not a resource of this program");
            }
        }
    }

    private static void CheckValue(TreePath path, PValue value, Dictionary<string, string> names, Dictionary<string, string> types, List<string> problems)
    {
        switch (value)
        {
            case PRef r when !names.ContainsKey(r.Root):
                problems.Add($"{path}: {r} refers to '{r.Root}', which is no resource, variable or config value of this program");
                break;
            case PFunction f when !PulumiYamlSchema.Functions.Contains(f.Key):
                problems.Add($"{path}: {f.Key} is not a Pulumi YAML built-in function");
                break;
            case PFunction { Name: "invoke" } f:
                CheckInvoke(path.ToString(), f.Argument, types, problems);
                break;
            case PMap m when m.Entries.Any(e => e.Key.StartsWith("fn::", StringComparison.Ordinal)):
                problems.Add($"{path}: a key starting with fn:: must be the only key of a function call; write it through PFunction");
                break;
        }
    }

    private static void CheckInvoke(string path, PValue argument, Dictionary<string, string> types, List<string> problems)
    {
        if (argument is not PMap invoke || invoke["function"] is not PText { Value: var function } || !TypeToken().IsMatch(function))
        {
            problems.Add($"{path}: fn::invoke needs 'function' with a function token like aws:ec2:getAmi");
            return;
        }

        foreach (var (key, _) in invoke.Entries.Where(e => !PulumiYamlSchema.InvokeKeys.Contains(e.Key)))
        {
            problems.Add($"{path}.{key}: not an fn::invoke key");
        }

        var options = invoke["options"] as PMap ?? PMap.Empty;
        foreach (var (key, _) in options.Entries.Where(e => !PulumiYamlSchema.InvokeOptions.Contains(e.Key)))
        {
            problems.Add($"{path}.options.{key}: not an invoke option");
        }

        CheckProvider($"{path}.options.provider", Resource.PackageOf(function), options["provider"], types, problems);
    }

    private static void CheckProvider(string path, string package, PValue? provider, Dictionary<string, string> types, List<string> problems)
    {
        var wanted = $"pulumi:providers:{package}";
        if (provider is not PRef { Path: null } r || !types.TryGetValue(r.Root, out var type) || type != wanted)
        {
            problems.Add($"{path}: must be an explicit {wanted} resource of this program (found {(provider is null ? "none" : Describe(provider))}); a default provider would take an unpinned version and ambient settings");
        }
    }

    private static void CheckPinned(string path, string package, PValue? version, List<string> problems)
    {
        if (!ProviderVersions.ByPackage.TryGetValue(package, out var pinned))
        {
            problems.Add($"{path}: package '{package}' has no pinned version in ProviderVersions");
        }
        else if (version is not PText { Value: var v } || v != pinned)
        {
            problems.Add($"{path}: must be the pinned {package} version {pinned} (found {(version is null ? "none" : Describe(version))})");
        }
    }

    /// <summary>No secret config value anywhere in the program (credentials as literal text are a security rule: SecurityPolicy).</summary>
    private static void CheckSecrets(PMap tree, IReadOnlyCollection<string> secretValues, List<string> problems)
    {
        // Every piece of literal text the program holds (values and keys), searched without printing the program.
        if (secretValues.Count == 0)
        {
            return;
        }

        var texts = new List<string>();
        Walk(tree, (_, value) =>
        {
            if (value is PText t)
            {
                texts.Add(t.Value);
            }
            else if (value is PMap m)
            {
                texts.AddRange(m.Entries.Select(e => e.Key));
            }
        });
        foreach (var secret in secretValues.Where(s => s.Length >= 4 && texts.Any(t => t.Contains(s, StringComparison.Ordinal))))
        {
            problems.Add($"the program text contains the value of a secret config key ({secret.Length} characters, not shown)");
        }
    }

    /// <summary>Visits every value with its path; function arguments and map entries included.</summary>
    internal static void Walk(PValue value, Action<TreePath, PValue> visit) => Walk(value, new TreePath(), visit);

    private static void Walk(PValue value, TreePath path, Action<TreePath, PValue> visit)
    {
        visit(path, value);
        switch (value)
        {
            case PMap map:
                foreach (var (key, item) in map.Entries)
                {
                    path.PushKey(key);
                    Walk(item, path, visit);
                    path.Pop();
                }

                break;
            case PList list:
                for (var i = 0; i < list.Items.Count; i++)
                {
                    path.PushIndex(i);
                    Walk(list.Items[i], path, visit);
                    path.Pop();
                }

                break;
            case PFunction f:
                path.PushKey(f.Key);
                Walk(f.Argument, path, visit);
                path.Pop();
                break;
            case PInterpolation i:
                foreach (var part in i.Parts)
                {
                    Walk(part, path, visit);
                }

                break;
        }
    }

    private static string Describe(PValue value) => value is PText or PRef or PInterpolation ? YamlTemplateWriter.StringOf(value) : value.GetType().Name;

    [GeneratedRegex("^[a-z][a-zA-Z0-9-]*:[a-zA-Z0-9/_.-]*:[a-zA-Z][a-zA-Z0-9]*$")]
    private static partial Regex TypeToken();
}
