using HaInfra.Model;
using HaInfra.Model.Galera;
using HaInfra.Rendering.CloudInit;
using HaInfra.Synthesis.Common;
using HaInfra.Synthesis.Document;

namespace HaInfra.Synthesis.Azure;

/// <summary>
/// The stack's secrets for hosts: the passwords (<see cref="StackPasswords"/>) and, with hainfra:tls, the CA and host
/// certificates (<see cref="TlsCertificates"/>), both shared with aws. Hosts read theirs at boot from a Key Vault in
/// the primary region (RBAC authorization, purge protection) with their own managed identity, each allowed only its
/// own secrets ("Key Vault Secrets User" scoped to each secret); the deploying identity may write secrets ("Key Vault
/// Secrets Officer" on the vault). Custom data holds no secret.
/// </summary>
internal static class Secrets
{
    public const string AdminPasswordSecret = "admin-password";
    public const string TlsCaSecret = "tls-ca";

    /// <summary>method: galera: the record the first node claims when it starts the cluster (<see cref="GaleraStart"/>).</summary>
    public const string GaleraBootstrapSecret = "galera-bootstrap";

    public static void Add(AzureContext ctx)
    {
        ctx.Passwords = StackPasswords.Add(ctx.Graph, ctx.Shared.Random);
        var vault = ctx.Graph.Add("key-vault", "azure:keyvault:KeyVault", P.Map([
            ("name", P.Join($"hai-{AzureNames.Compact(ctx.Stack, 10)}-", ctx.NameSuffix["result"])),
            .. ctx.In(ctx.PrimaryRegion),
            ("tenantId", ctx.ClientConfig["tenantId"]),
            ("skuName", "standard"),
            ("rbacAuthorizationEnabled", true),
            ("purgeProtectionEnabled", true),
            ("softDeleteRetentionDays", 90),
            ("tags", ctx.Tags())]), ctx.Via());
        var deployer = ctx.Graph.Add("key-vault-deployer", "azure:authorization:Assignment", P.Map(
            ("scope", vault["id"]),
            ("roleDefinitionName", "Key Vault Secrets Officer"),
            ("principalId", ctx.ClientConfig["objectId"]),
            ("description", $"HaInfra {ctx.Stack}: the identity running pulumi up writes the stack's secrets")), ctx.Via());
        ctx.Vault = new Vault(vault, deployer, null!);
        var admin = Secret(ctx, "admin-password-secret", AdminPasswordSecret, ctx.Passwords.Admin["result"], "HaInfra admin password, read by database hosts at boot");
        ctx.Vault = ctx.Vault with { AdminPassword = admin };
        if (ctx.Topology.Tls)
        {
            ctx.TlsCa = TlsCertificates.Ca(ctx.Graph, ctx.Shared.Tls, ctx.Stack);
        }

        // Created with the stack, so a destroyed and recreated stack starts its cluster afresh; the first node's
        // value stays: the program ignores changes to what the node's claim writes (a new version without content type
        // or tags), so no later update writes "unclaimed" back.
        if (GaleraCluster.Nodes(ctx.Topology) is [var first, ..])
        {
            ctx.GaleraBootstrap = Secret(ctx, "galera-bootstrap-secret", GaleraBootstrapSecret, GaleraStart.Unclaimed,
                $"whether the Galera cluster was started ({first.Name} writes it once, when it starts the cluster)", ignoreValue: true);
        }
    }

    /// <summary>How <paramref name="host"/> starts at first boot; null for a host outside the Galera cluster.</summary>
    public static GaleraStart? GaleraStartOf(AzureContext ctx, Host host) => GaleraStart.For(ctx.Topology, host, GaleraBootstrapSecret);

    /// <summary>Lets the first Galera node read and write the bootstrap record (the only secret a host may write).</summary>
    public static void GrantGaleraBootstrap(AzureContext ctx, Host host, Resource identity)
    {
        if (GaleraStartOf(ctx, host) is not { FirstNode: true } || ctx.GaleraBootstrap is not { } record)
        {
            return;
        }

        ctx.Graph.Add(AzureNames.Host(host.Name, "claims-galera-bootstrap"), "azure:authorization:Assignment", P.Map(
            ("scope", record["resourceVersionlessId"]),
            ("roleDefinitionName", "Key Vault Secrets Officer"),
            ("principalId", identity["principalId"]),
            ("principalType", "ServicePrincipal"),
            ("description", $"HaInfra {ctx.Stack}: {host.Name} marks the Galera cluster started, once")), ctx.Via());
    }

    /// <summary>The host's key and certificate as Key Vault secrets, with the CA's; null when the stack has no TLS.</summary>
    public static (TlsParameters Names, IReadOnlyList<Resource> Secrets)? ForHost(AzureContext ctx, Host host, string privateDns)
    {
        if (ctx.TlsCa is not { } ca)
        {
            return null;
        }

        var caSecret = ctx.Graph.Resources.FirstOrDefault(r => r.Name == "tls-ca-secret")
            ?? Secret(ctx, "tls-ca-secret", TlsCaSecret, ca.Cert["certPem"], "HaInfra CA certificate (public)");
        var (key, cert) = TlsCertificates.ForHost(ctx.Graph, ctx.Shared.Tls, ca, host, privateDns);
        var names = new TlsParameters(TlsCaSecret, $"{host.Name}-tls-cert", $"{host.Name}-tls-key");
        var certSecret = Secret(ctx, AzureNames.Host(host.Name, "tls-cert-secret"), names.Certificate, cert["certPem"], $"TLS certificate of {host.Name} (public)");
        var keySecret = Secret(ctx, AzureNames.Host(host.Name, "tls-key-secret"), names.PrivateKey, key["privateKeyPem"],
            $"TLS private key of {host.Name}; only its identity may read it");
        return (names, [caSecret, certSecret, keySecret]);
    }

    /// <summary>Lets a host's identity read exactly these secrets.</summary>
    public static void Grant(AzureContext ctx, Host host, Resource identity, IReadOnlyList<Resource> secrets)
    {
        foreach (var secret in secrets)
        {
            var part = secret.Name.StartsWith(host.Name + "_", StringComparison.Ordinal) ? secret.Name[(host.Name.Length + 1)..] : secret.Name;
            ctx.Graph.Add(AzureNames.Host(host.Name, $"reads-{part}"), "azure:authorization:Assignment", P.Map(
                ("scope", secret["resourceVersionlessId"]),
                ("roleDefinitionName", "Key Vault Secrets User"),
                ("principalId", identity["principalId"]),
                ("principalType", "ServicePrincipal"),
                ("description", $"HaInfra {ctx.Stack}: {host.Name} reads this secret at boot")), ctx.Via());
        }
    }

    private static Resource Secret(AzureContext ctx, string name, string secretName, PValue value, string description, bool ignoreValue = false) =>
        ctx.Graph.Add(name, "azure:keyvault:Secret", P.Map(
            ("name", secretName),
            ("keyVaultId", ctx.Vault.KeyVault["id"]),
            ("value", value),
            ("contentType", description),
            ("tags", ctx.Tags())),
            ignoreValue
                ? ctx.Via(("dependsOn", P.List(ctx.Vault.DeployerAccess.Ref)), ("ignoreChanges", P.Texts(["value", "contentType", "tags"])))
                : ctx.Via(("dependsOn", P.List(ctx.Vault.DeployerAccess.Ref))));
}
