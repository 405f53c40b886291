// Package deploy holds what runs classifierd on Kubernetes: a kustomize base
// under kubernetes/ and, under schemas/, the strict JSON schemas its tests
// validate the manifests against offline with kubeconform. The image is built
// from the Dockerfile at the repository root; README.md says how to deploy,
// scale, observe and upgrade.
package deploy

//go:generate go run schemas_gen.go -kubernetes v1.36.3
