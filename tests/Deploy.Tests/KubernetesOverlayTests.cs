using System.Globalization;
using System.Text.Json;

namespace Mep.Deploy.Tests;

/// <summary>
/// deploy/k8s: each overlay renders with kustomize and every object it renders validates against the Kubernetes schemas and the
/// operators' (CloudNativePG, RabbitMQ), offline; and the properties an operator relies on hold in both overlays.
/// </summary>
public sealed class KubernetesOverlayTests
{
    public static readonly string[] Services = ["schools", "assets", "support", "staffing", "funding"];

    public static readonly TheoryData<string> OverlayNames = new("city", "land");

    // Each replica's pools: Database__MaxPoolSize 20 + Database__HousekeepingMaxPoolSize 8 (deploy/k8s/base/config.yaml).
    private const int ConnectionsPerReplica = 28;

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task Overlay_renders_and_every_object_validates_against_the_Kubernetes_and_operator_schemas(string overlay)
    {
        var rendered = await DeploymentFiles.OverlayAsync(overlay);

        Assert.Empty(rendered.Problems);
        Assert.Equal(6, rendered.Objects.OfKind("Cluster").Count());
        Assert.Single(rendered.Objects.OfKind("RabbitmqCluster"));
    }

    [Fact]
    public async Task The_validator_refuses_objects_that_break_their_schema()
    {
        var result = await DeploymentFiles.ValidateTextAsync("k8s", """
            apiVersion: postgresql.cnpg.io/v1
            kind: Cluster
            metadata: { name: wrong-type }
            spec: { instances: two, storage: { size: 1Gi } }
            ---
            apiVersion: rabbitmq.com/v1beta1
            kind: RabbitmqCluster
            metadata: { name: unknown-field }
            spec: { replica: 3 }
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: no-selector }
            spec: { template: { spec: { containers: [{ name: a, image: b }] } } }
            ---
            apiVersion: example.com/v1
            kind: Unknown
            metadata: { name: no-schema }
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: misspelt-field }
            spec:
              selector: { matchLabels: { app: a } }
              template:
                metadata: { labels: { app: a } }
                spec: { containers: [{ name: a, image: b, securityContext: { readOnlyRootFileSystem: true } }] }
            ---
            apiVersion: v1
            kind: Service
            metadata: { name: valid }
            spec: { ports: [{ port: 80 }] }
            """);

        Assert.Equal(
            ["Cluster/wrong-type", "Deployment/misspelt-field", "Deployment/no-selector", "RabbitmqCluster/unknown-field", "Unknown/no-schema"],
            result.Problems.Select(p => p[..p.IndexOf(':', StringComparison.Ordinal)]).Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task Every_pod_runs_as_a_fixed_non_root_user_on_a_read_only_root_file_system_with_no_privileges(string overlay)
    {
        var rendered = await DeploymentFiles.OverlayAsync(overlay);

        var deployments = rendered.Objects.OfKind("Deployment").ToList();
        Assert.NotEmpty(deployments);
        foreach (var deployment in deployments)
        {
            var pod = deployment.At("spec", "template", "spec")!.Value;
            var name = deployment.Name();
            Assert.True(pod.At("securityContext", "runAsNonRoot")?.GetBoolean() == true, $"{name}: runAsNonRoot");
            Assert.True(pod.At("securityContext", "runAsUser")?.GetInt64() > 0, $"{name}: a fixed non-root runAsUser");
            Assert.Equal("RuntimeDefault", pod.At("securityContext", "seccompProfile", "type").Text());
            foreach (var container in pod.At("containers").Items())
            {
                Assert.True(container.At("securityContext", "readOnlyRootFilesystem")?.GetBoolean() == true, $"{name}: readOnlyRootFilesystem");
                Assert.True(container.At("securityContext", "allowPrivilegeEscalation")?.GetBoolean() == false, $"{name}: allowPrivilegeEscalation");
                Assert.Equal(["ALL"], container.At("securityContext", "capabilities", "drop").Items().Select(c => c.GetString()));
                Assert.NotNull(container.At("resources", "requests", "memory"));
                Assert.NotNull(container.At("resources", "limits", "memory"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task Every_dotnet_pod_has_a_writable_tmp_and_is_probed_on_its_live_and_ready_health_checks(string overlay)
    {
        var rendered = await DeploymentFiles.OverlayAsync(overlay);

        foreach (var name in Services.Append("identity").Append("console"))
        {
            var pod = rendered.Objects.Named("Deployment", name).At("spec", "template", "spec")!.Value;
            var container = Assert.Single(pod.At("containers").Items());
            var tmp = Assert.Single(container.At("volumeMounts").Items(), m => m.At("mountPath").Text() == "/tmp");
            var volume = Assert.Single(pod.At("volumes").Items(), v => v.At("name").Text() == tmp.At("name").Text());
            Assert.NotNull(volume.At("emptyDir"));
            Assert.Equal("/health/live", container.At("livenessProbe", "httpGet", "path").Text());
            Assert.Equal("/health/ready", container.At("readinessProbe", "httpGet", "path").Text());
        }
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task Every_service_has_an_autoscaler_a_disruption_budget_and_a_network_policy_of_its_own(string overlay)
    {
        var rendered = await DeploymentFiles.OverlayAsync(overlay);

        foreach (var service in Services)
        {
            var autoscaler = rendered.Objects.Named("HorizontalPodAutoscaler", service);
            Assert.Equal("autoscaling/v2", autoscaler.GetProperty("apiVersion").GetString());
            Assert.Equal(service, autoscaler.At("spec", "scaleTargetRef", "name").Text());
            Assert.Equal(service, rendered.Objects.Named("PodDisruptionBudget", service).At("spec", "selector", "matchLabels", "app").Text());
            Assert.Equal(service, rendered.Objects.Named("NetworkPolicy", service).At("spec", "podSelector", "matchLabels", "app").Text());
        }
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task The_namespace_refuses_all_traffic_that_no_policy_allows(string overlay)
    {
        var rendered = await DeploymentFiles.OverlayAsync(overlay);

        var deny = rendered.Objects.Named("NetworkPolicy", "default-deny");
        Assert.Equal(JsonValueKind.Object, deny.At("spec", "podSelector")?.ValueKind);
        Assert.Empty(deny.At("spec", "podSelector")!.Value.EnumerateObject());
        Assert.Equal(["Ingress", "Egress"], deny.At("spec", "policyTypes").Items().Select(t => t.GetString()));
        Assert.Null(deny.At("spec", "ingress"));
        Assert.Null(deny.At("spec", "egress"));
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task Each_service_may_reach_its_own_database_cluster_and_no_other(string overlay)
    {
        var rendered = await DeploymentFiles.OverlayAsync(overlay);

        foreach (var service in Services)
        {
            var clusters = rendered.Objects.Named("NetworkPolicy", service).At("spec", "egress").Items()
                .SelectMany(rule => rule.At("to").Items())
                .Select(peer => peer.At("podSelector", "matchLabels", "cnpg.io/cluster").Text())
                .OfType<string>();
            Assert.Equal([$"{service}-db"], clusters);
        }
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task Only_the_ingress_controller_the_console_and_Prometheus_reach_a_service(string overlay)
    {
        var rendered = await DeploymentFiles.OverlayAsync(overlay);

        foreach (var service in Services)
        {
            var peers = rendered.Objects.Named("NetworkPolicy", service).At("spec", "ingress").Items()
                .SelectMany(rule => rule.At("from").Items())
                .Select(peer => peer.At("podSelector", "matchLabels", "app").Text()
                    ?? $"namespace {peer.At("namespaceSelector", "matchLabels", "kubernetes.io/metadata.name").Text()}")
                .Order(StringComparer.Ordinal);
            Assert.Equal(["console", "namespace ingress-nginx", "prometheus"], peers);
        }
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task Each_service_connects_to_its_own_cluster_and_the_broker_with_the_secrets_the_operators_make(string overlay)
    {
        var rendered = await DeploymentFiles.OverlayAsync(overlay);

        foreach (var service in Services)
        {
            var env = rendered.Objects.Named("Deployment", service).At("spec", "template", "spec", "containers")
                .Items().Single().At("env").Items().ToList();
            string? Value(string name) => env.Single(e => e.At("name").Text() == name).At("value").Text();
            string? Secret(string name) => env.Single(e => e.At("name").Text() == name).At("valueFrom", "secretKeyRef", "name").Text();
            Assert.StartsWith($"Host={service}-db-rw;", Value("ConnectionStrings__Database"), StringComparison.Ordinal);
            Assert.Equal($"{service}-db-app", Secret("DB_PASSWORD"));
            Assert.StartsWith("amqp://", Value("ConnectionStrings__Broker"), StringComparison.Ordinal);
            Assert.Contains("@rabbitmq:5672/", Value("ConnectionStrings__Broker"), StringComparison.Ordinal);
            Assert.Equal("rabbitmq-default-user", Secret("BROKER_PASSWORD"));
            var cluster = rendered.Objects.Named("Cluster", $"{service}-db");
            Assert.Equal($"mep_{service}", cluster.At("spec", "bootstrap", "initdb", "database").Text());
            Assert.Contains($"Database=mep_{service};", Value("ConnectionStrings__Database"), StringComparison.Ordinal);
        }

        Assert.Equal("rabbitmq", rendered.Objects.OfKind("RabbitmqCluster").Single().Name());
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task Every_database_cluster_takes_the_connections_of_its_service_at_its_most_replicas(string overlay)
    {
        var rendered = await DeploymentFiles.OverlayAsync(overlay);

        foreach (var service in Services)
        {
            var maxReplicas = rendered.Objects.Named("HorizontalPodAutoscaler", service).At("spec", "maxReplicas")!.Value.GetInt32();
            var maxConnections = int.Parse(
                rendered.Objects.Named("Cluster", $"{service}-db").At("spec", "postgresql", "parameters", "max_connections").Text()!,
                CultureInfo.InvariantCulture);
            Assert.True(maxConnections >= maxReplicas * ConnectionsPerReplica + 10,
                $"{service}: max_connections {maxConnections} < {maxReplicas} replicas x {ConnectionsPerReplica} + 10 for the operator and psql");
        }
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task The_ingress_routes_each_api_the_identity_provider_and_the_console_and_never_a_scrape_endpoint(string overlay)
    {
        var rendered = await DeploymentFiles.OverlayAsync(overlay);

        var routes = rendered.Objects.OfKind("Ingress")
            .SelectMany(ingress => ingress.At("spec", "rules").Items())
            .SelectMany(rule => rule.At("http", "paths").Items())
            .Select(path => (Path: path.At("path").Text()!, Service: path.At("backend", "service", "name").Text()!))
            .ToList();
        foreach (var service in Services)
        {
            Assert.Contains(($"/api/{service}", service), routes);
        }

        Assert.Contains(("/identity", "identity"), routes);
        Assert.Contains(("/", "console"), routes);
        Assert.DoesNotContain(routes, route => route.Path.Contains("metrics", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(OverlayNames))]
    public async Task Prometheus_finds_the_services_pods_and_loads_the_alert_rules(string overlay)
    {
        var rendered = await DeploymentFiles.OverlayAsync(overlay);

        var pod = rendered.Objects.Named("Deployment", "prometheus").At("spec", "template", "spec")!.Value;
        var configMaps = pod.At("volumes").Items().ToDictionary(v => v.At("name").Text()!, v => v.At("configMap", "name").Text());
        var config = rendered.Objects.Named("ConfigMap", configMaps["config"]!).At("data", "prometheus.yml").Text()!;
        Assert.Contains("kubernetes_sd_configs", config, StringComparison.Ordinal);
        Assert.Contains("source_labels: [__meta_kubernetes_pod_label_app]\n        target_label: job", config, StringComparison.Ordinal);
        Assert.Contains("metrics_path: /metrics", config, StringComparison.Ordinal);
        var rules = rendered.Objects.Named("ConfigMap", configMaps["rules"]!);
        Assert.NotNull(rules.At("data", "alerts.yml"));
        var role = rendered.Objects.Named("Role", "prometheus");
        Assert.Contains(role.At("rules").Items(), rule => rule.At("resources").Items().Any(r => r.GetString() == "pods"));
        Assert.Equal("prometheus", pod.At("serviceAccountName").Text());
    }

    [Fact]
    public async Task A_Land_runs_more_replicas_larger_databases_and_more_broker_nodes_than_a_city()
    {
        var city = await DeploymentFiles.OverlayAsync("city");
        var land = await DeploymentFiles.OverlayAsync("land");

        static int MaxReplicas(Validation v) => v.Objects.Named("HorizontalPodAutoscaler", "assets").At("spec", "maxReplicas")!.Value.GetInt32();
        static int Instances(Validation v) => v.Objects.Named("Cluster", "assets-db").At("spec", "instances")!.Value.GetInt32();
        static int StorageGi(Validation v) => int.Parse(v.Objects.Named("Cluster", "assets-db").At("spec", "storage", "size").Text()!.TrimEnd('G', 'i'), CultureInfo.InvariantCulture);
        static int BrokerNodes(Validation v) => v.Objects.Named("RabbitmqCluster", "rabbitmq").At("spec", "replicas")!.Value.GetInt32();
        Assert.True(MaxReplicas(land) > MaxReplicas(city), "maxReplicas");
        Assert.True(Instances(land) > Instances(city), "PostgreSQL instances");
        Assert.True(StorageGi(land) > StorageGi(city), "PostgreSQL storage");
        Assert.True(BrokerNodes(land) > BrokerNodes(city), "RabbitMQ replicas");
    }
}
