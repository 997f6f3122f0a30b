# The image bake: the reference design's Packer template, driven by the Phoenix bake CodeBuild project
# (cdk/Phoenix.Cdk/PipelineStack.cs). Every value that differs per application or account is a variable, so one
# template serves every fleet; the project passes them as PKR_VAR_* environment variables.
packer {
  required_plugins {
    amazon = {
      version = ">= 1.0.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}

variable "application" {
  type        = string
  description = "Application name; becomes the image name prefix and the Application tag."
}

variable "environment" {
  type    = string
  default = "production"
}

variable "region" {
  type    = string
  default = env("AWS_REGION")
}

variable "instance_type" {
  type    = string
  default = "t3.medium"
}

# Amazon Linux 2 (the reference design's base) reached end of support on 2026-06-30; Amazon Linux 2023 is its successor.
variable "source_ami_name" {
  type    = string
  default = "al2023-ami-2023.*-x86_64"
}

variable "subnet_id" {
  type        = string
  default     = ""
  description = "Subnet for the build instance; empty uses the default VPC."
}

# The bake role may stop, terminate or delete only what carries this tag (cdk/Phoenix.Cdk/LeastPrivilege.cs); the bake
# project sets it (PHOENIX_BAKE_TAG, the pipeline stack's name).
variable "bake_tag" {
  type = string
}

variable "commit" {
  type    = string
  default = "unknown"
}

locals {
  build_time = formatdate("YYYYMMDDhhmmss", timestamp())
  # What the image installs and what it must not carry; the drift stack's application rules read the same file.
  bake = jsondecode(file("${path.root}/bake-manifest.json"))
}

source "amazon-ebs" "app" {
  ami_name      = "${var.application}-${local.build_time}"
  instance_type = var.instance_type
  region        = var.region
  subnet_id     = var.subnet_id

  source_ami_filter {
    filters = {
      name                = var.source_ami_name
      root-device-type    = "ebs"
      virtualization-type = "hvm"
    }
    owners      = ["amazon"]
    most_recent = true
  }

  ssh_username = "ec2-user"

  # The build instance obeys the same rules as the fleet: IMDSv2 only, encrypted root volume.
  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }
  # The root volume is encrypted at launch, so the image's snapshot is encrypted as it is taken: no unencrypted
  # intermediate image to copy, deregister and delete (encrypt_boot), which the bake role could not hold to its tag.
  launch_block_device_mappings {
    device_name           = "/dev/xvda"
    volume_size           = 20
    volume_type           = "gp3"
    encrypted             = true
    delete_on_termination = true
  }

  run_tags = {
    Name        = "${var.application}-bake"
    Application = var.application
    PhoenixBake = var.bake_tag
  }
  run_volume_tags = {
    Application = var.application
    PhoenixBake = var.bake_tag
  }
  snapshot_tags = {
    Application = var.application
    Commit      = var.commit
    PhoenixBake = var.bake_tag
  }

  tags = {
    Name        = "${var.application}-server"
    Environment = var.environment
    Application = var.application
    BuildTime   = local.build_time
    Commit      = var.commit
    # APPROVED_AMIS_BY_TAG (the drift stack) accepts only images carrying this tag.
    Phoenix     = "baked"
    PhoenixBake = var.bake_tag
  }
}

build {
  sources = ["source.amazon-ebs.app"]

  provisioner "shell" {
    environment_vars = [
      "PACKAGES=${join(" ", local.bake.packages)}",
      "FORBIDDEN=${join(" ", local.bake.forbidden)}"
    ]
    scripts = [
      "scripts/install-dependencies.sh",
      "scripts/configure-app.sh",
      "scripts/harden-os.sh"
    ]
  }

  provisioner "file" {
    source      = "configs/"
    destination = "/etc/app/"
  }

  # configure-app.sh hands /etc/app to the SSH user so the file provisioner can write it; give it back to root.
  provisioner "shell" {
    inline = ["sudo chown -R root:root /etc/app", "sudo chmod -R go-w /etc/app"]
  }

  post-processor "manifest" {
    output     = "manifest.json"
    strip_path = true
  }
}
