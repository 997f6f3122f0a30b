using Amazon.CDK.AWS.EC2;
using Amazon.JSII.Runtime.Deputy;
using Constructs;

namespace Phoenix.Cdk;

/// <summary>
/// An AMI id for whichever region the stack lands in. CDK's GenericLinux needs a region-keyed map, which an
/// account-agnostic stack cannot key; phoenix:imageId names one image for the deployment region.
/// </summary>
public sealed class FixedImage(string imageId) : DeputyBase, IMachineImage
{
    public IMachineImageConfig GetImage(Construct scope) => new MachineImageConfig
    {
        ImageId = imageId,
        OsType = OperatingSystemType.LINUX,
        UserData = UserData.ForLinux(),
    };
}
