namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>
/// The EKS reference answers (REST/JSON, 2017-11-01) the simulator's EKS is held to.
/// <para>
/// Where they are from: the API reference pages print their examples below the part of each page the search index
/// keeps, so they could not be read here. Each reference is the example AWS publishes for the same operation in the
/// AWS CLI Command Reference (the page cited above it), its output as printed: EKS's JSON members are the CLI's, by
/// the same names. One change throughout: the CLI prints times as ISO strings, the wire carries them as epoch seconds
/// (JSON numbers; the EKS service model, botocore <c>data/eks/2017-11-01/service-2.json</c>, gives them no other
/// format), so each time is that instant in epoch seconds.
/// </para>
/// </summary>
public static class EksReferenceExamples
{
    // https://docs.aws.amazon.com/cli/latest/reference/eks/list-clusters.html (the example's output).
    public const string ListClusters = """
        {
          "clusters": [
            "prod",
            "qa",
            "stage",
            "my-eks-cluster"
          ]
        }
        """;

    // https://docs.aws.amazon.com/cli/latest/reference/eks/describe-cluster.html (the example's output).
    public const string DescribeCluster = """
        {
          "cluster": {
            "name": "my-eks-cluster",
            "arn": "arn:aws:eks:us-east-2:111122223333:cluster/my-eks-cluster",
            "createdAt": 1710430304.348,
            "version": "1.26",
            "endpoint": "https://JSA79429HJDASKJDJ8223829MNDNASW.yl4.us-east-2.eks.amazonaws.com",
            "roleArn": "arn:aws:iam::111122223333:role/eksctl-my-eks-cluster-cluster-ServiceRole-zMF6CBakwwbW",
            "resourcesVpcConfig": {
              "subnetIds": [
                "subnet-0fb75d2d8401716e7",
                "subnet-02184492f67a3d0f9",
                "subnet-04098063527aab776",
                "subnet-0e2907431c9988b72",
                "subnet-04ad87f71c6e5ab4d",
                "subnet-09d912bb63ef21b9a"
              ],
              "securityGroupIds": [
                "sg-0c1327f6270afbb36"
              ],
              "clusterSecurityGroupId": "sg-01c84d09d70f39a7f",
              "vpcId": "vpc-0012b8e1cc0abb17d",
              "endpointPublicAccess": true,
              "endpointPrivateAccess": true,
              "publicAccessCidrs": [
                "22.19.18.2/32"
              ]
            },
            "kubernetesNetworkConfig": {
              "serviceIpv4Cidr": "10.100.0.0/16",
              "ipFamily": "ipv4"
            },
            "logging": {
              "clusterLogging": [
                {
                  "types": [
                    "api",
                    "audit",
                    "authenticator",
                    "controllerManager",
                    "scheduler"
                  ],
                  "enabled": true
                }
              ]
            },
            "identity": {
              "oidc": {
                "issuer": "https://oidc.eks.us-east-2.amazonaws.com/id/JSA79429HJDASKJDJ8223829MNDNASW"
              }
            },
            "status": "ACTIVE",
            "certificateAuthority": {
              "data": "CA_DATA_STRING..."
            },
            "platformVersion": "eks.14",
            "tags": {
              "aws:cloudformation:stack-name": "eksctl-my-eks-cluster-cluster",
              "alpha.eksctl.io/cluster-name": "my-eks-cluster",
              "karpenter.sh/discovery": "my-eks-cluster",
              "aws:cloudformation:stack-id": "arn:aws:cloudformation:us-east-2:111122223333:stack/eksctl-my-eks-cluster-cluster/e752ea00-e217-11ee-beae-0a9599c8c7ed",
              "auto-delete": "no",
              "eksctl.cluster.k8s.io/v1alpha1/cluster-name": "my-eks-cluster",
              "EKS-Cluster-Name": "my-eks-cluster",
              "alpha.eksctl.io/cluster-oidc-enabled": "true",
              "aws:cloudformation:logical-id": "ControlPlane",
              "alpha.eksctl.io/eksctl-version": "0.173.0-dev+a7ee89342.2024-03-01T03:40:57Z",
              "Name": "eksctl-my-eks-cluster-cluster/ControlPlane"
            },
            "health": {
              "issues": []
            },
            "accessConfig": {
              "authenticationMode": "API_AND_CONFIG_MAP"
            }
          }
        }
        """;

    // https://docs.aws.amazon.com/cli/latest/reference/eks/list-nodegroups.html (the example's output).
    public const string ListNodegroups = """
        {
          "nodegroups": [
            "my-eks-managed-node-group",
            "my-eks-nodegroup"
          ]
        }
        """;

    // https://docs.aws.amazon.com/cli/latest/reference/eks/describe-nodegroup.html (the example's output). The example's
    // group has no launch template of its own; "launchTemplate" (the model's Nodegroup.launchTemplate, a
    // LaunchTemplateSpecification of name, version and id) is added, with made-up values: the product reads it.
    public const string DescribeNodegroup = """
        {
          "nodegroup": {
            "nodegroupName": "my-eks-nodegroup",
            "nodegroupArn": "arn:aws:eks:us-east-2:111122223333:nodegroup/my-eks-cluster/my-eks-nodegroup/a8c75f2f-df78-a72f-4063-4b69af3de5b1",
            "clusterName": "my-eks-cluster",
            "version": "1.26",
            "releaseVersion": "1.26.12-20240329",
            "createdAt": 1712590930.555,
            "modifiedAt": 1712591052.402,
            "status": "ACTIVE",
            "capacityType": "ON_DEMAND",
            "scalingConfig": {
              "minSize": 1,
              "maxSize": 3,
              "desiredSize": 1
            },
            "instanceTypes": [
              "t3.medium"
            ],
            "subnets": [
              "subnet-0e2907431c9988b72",
              "subnet-04ad87f71c6e5ab4d",
              "subnet-09d912bb63ef21b9a"
            ],
            "amiType": "AL2_x86_64",
            "nodeRole": "arn:aws:iam::111122223333:role/role-name",
            "labels": {},
            "resources": {
              "autoScalingGroups": [
                {
                  "name": "eks-my-eks-nodegroup-a8c75f2f-df78-a72f-4063-4b69af3de5b1"
                }
              ]
            },
            "diskSize": 20,
            "launchTemplate": {
              "name": "my-launch-template",
              "version": "1",
              "id": "lt-1234567890abcde12"
            },
            "health": {
              "issues": []
            },
            "updateConfig": {
              "maxUnavailable": 1
            },
            "tags": {}
          }
        }
        """;

    // https://docs.aws.amazon.com/cli/latest/reference/eks/update-nodegroup-config.html (Example 4: Update a managed node
    // group to update scaling-config and update-config).
    public const string UpdateNodegroupConfig = """
        {
          "update": {
            "id": "a977160f-59bf-3023-805d-c9826e460aea",
            "status": "InProgress",
            "type": "ConfigUpdate",
            "params": [
              {
                "type": "MinSize",
                "value": "1"
              },
              {
                "type": "MaxSize",
                "value": "5"
              },
              {
                "type": "DesiredSize",
                "value": "2"
              },
              {
                "type": "MaxUnavailable",
                "value": "2"
              }
            ],
            "createdAt": 1712594117.036,
            "errors": []
          }
        }
        """;
}
