// The buildable envelope in 3D: the one scene code of the note's 3D page, the note page and the web map's
// panel. It draws the server's glTF (plans.reglement.envelope3d: the stepped envelope, Lambert metres from
// the origin in the file; glTF is y-up, x east, z south) over the parcel and its neighbours (flat rings).
// showEnvelope(holder, scene, {failed, done}): scene = {glb: URL | glb_base64: bytes, neighbours: [[[x, y]…]…]}; the holder's
// data-state becomes "ready" (data-meshes, data-height) or "error"; the returned handle's dispose() frees
// the WebGL context (the map opens one view after another).
import * as THREE from "three";
import { GLTFLoader } from "three/addons/loaders/GLTFLoader.js";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";

function bytes(base64) {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) out[i] = text.charCodeAt(i);
  return out.buffer;
}

export function showEnvelope(holder, scene, { failed = "3D:", done = () => {} } = {}) {
  holder.dataset.state = "loading";
  const width = holder.clientWidth || 320, height = holder.clientHeight || 240;
  // preserveDrawingBuffer: what is drawn stays readable (tests and "save image" read the canvas).
  const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
  renderer.setPixelRatio(window.devicePixelRatio || 1);
  renderer.setSize(width, height);
  holder.replaceChildren(renderer.domElement);

  const world = new THREE.Scene();
  world.background = new THREE.Color(0xf4f4f0);
  world.add(new THREE.HemisphereLight(0xffffff, 0x777766, 2.5));
  const sun = new THREE.DirectionalLight(0xffffff, 1.5);
  sun.position.set(-60, 120, 80);
  world.add(sun);
  const camera = new THREE.PerspectiveCamera(45, width / height, 0.5, 5000);
  const controls = new OrbitControls(camera, renderer.domElement);

  const neighbourMaterial = new THREE.LineBasicMaterial({ color: 0x555555 });
  for (const ring of scene.neighbours || []) {
    const points = ring.map(([x, y]) => new THREE.Vector3(x, 0.02, -y));
    world.add(new THREE.Line(new THREE.BufferGeometry().setFromPoints(points), neighbourMaterial));
  }

  function draw() {
    controls.update();
    renderer.render(world, camera);
  }
  function loaded(gltf) {
    world.add(gltf.scene);
    const box = new THREE.Box3().setFromObject(gltf.scene);
    const centre = box.getCenter(new THREE.Vector3());
    const size = Math.max(box.getSize(new THREE.Vector3()).length(), 20);
    camera.position.set(centre.x - size, centre.y + size, centre.z + size * 1.2);
    controls.target.copy(centre);
    let meshes = 0;
    gltf.scene.traverse((node) => { if (node.isMesh) meshes += 1; });
    holder.dataset.meshes = String(meshes);
    holder.dataset.height = String(Math.round((box.max.y - box.min.y) * 100) / 100);
    renderer.setAnimationLoop(draw);
    draw();
    holder.dataset.state = "ready";
    done();
  }
  function error(reason) {
    holder.dataset.state = "error";
    holder.textContent = failed + " " + reason;
    done();
  }
  const loader = new GLTFLoader();
  if (scene.glb_base64) loader.parse(bytes(scene.glb_base64), "", loaded, error);
  else loader.load(scene.glb, loaded, undefined, error);
  return {
    dispose() {
      renderer.setAnimationLoop(null);
      controls.dispose();
      renderer.dispose();
      renderer.forceContextLoss();
    },
  };
}
